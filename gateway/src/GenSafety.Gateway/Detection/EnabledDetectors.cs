using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// The registered detectors that configuration enables (none when <see cref="DetectionOptions.Enabled"/> is false),
/// with their fusion weights; fixed at start-up.
/// </summary>
internal sealed class EnabledDetectors
{
    public EnabledDetectors(IEnumerable<IQueryDetector> detectors, IEnumerable<DetectorRegistration> registrations, IOptions<DetectionOptions> options)
    {
        var settings = options.Value;
        var defaults = registrations.ToDictionary(r => r.Name, r => r.EnabledByDefault, StringComparer.Ordinal);
        var active = new List<ActiveDetector>();
        foreach (var detector in detectors)
        {
            settings.Detectors.TryGetValue(detector.Name, out var configured);
            var enabled = configured?.Enabled ?? defaults.GetValueOrDefault(detector.Name, true);
            if (detector.Descriptor.StateMode == DetectorStateMode.BitwiseOr
                && (detector is not IBitmapQueryDetector bitmap || bitmap.RegionBytes <= 0 || detector.Descriptor.MaxStateBytes % bitmap.RegionBytes != 0))
            {
                throw new InvalidOperationException(
                    $"Detector '{detector.Name}' keeps a bitmap state: it must implement {nameof(IBitmapQueryDetector)} with a RegionBytes that divides MaxStateBytes.");
            }

            if (settings.Enabled && enabled)
            {
                active.Add(new ActiveDetector(detector, configured?.Weight ?? 1));
            }
        }

        Active = active;
        Names = string.Join(", ", active.Select(a => a.Detector.Name));
        NeedReturnedEmbeddings = active.Exists(a => a.Detector.Descriptor.ReadsReturnedEmbeddings);
    }

    /// <summary>The detectors that run, in registration order.</summary>
    public IReadOnlyList<ActiveDetector> Active { get; }

    /// <summary>Their names, comma-separated.</summary>
    public string Names { get; }

    /// <summary>Whether any of them reads returned embeddings (else embeddings responses are not copied).</summary>
    public bool NeedReturnedEmbeddings { get; }
}

/// <summary>An enabled detector and its fusion weight.</summary>
/// <param name="Detector">The detector.</param>
/// <param name="Weight">Its weight in [0, 1].</param>
internal sealed record ActiveDetector(IQueryDetector Detector, double Weight);
