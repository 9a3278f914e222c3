using System.Globalization;
using GenSafety.Detectors.Embeddings;
using GenSafety.Detectors.Extraction;
using GenSafety.Gateway.Detection.Vectors;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.WindowMmd;

/// <summary>
/// The per-tenant <see cref="WindowMmdDetector"/>s: each configured tenant's reference file is read, embedded with the
/// tenant's embedder, turned into an <see cref="MmdReference"/> (median-heuristic bandwidth unless configured) and
/// calibrated with <see cref="DetectorCalibration.MmdThreshold"/> on windows of the file's benign streams, once at
/// start (<see cref="LoadAsync"/>). Tenants without a reference get no detector.
/// </summary>
public sealed class WindowMmdReferences
{
    private readonly WindowMmdQueryOptions _options;
    private volatile IReadOnlyDictionary<string, WindowMmdDetector> _detectors = new Dictionary<string, WindowMmdDetector>(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<string, string> _status;

    /// <summary>Creates the (empty) set for <paramref name="options"/>.</summary>
    public WindowMmdReferences(IOptions<WindowMmdQueryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _status = Describe(_options.Tenants.ToDictionary(t => t.Key, _ => "inactive: reference not loaded yet", StringComparer.Ordinal));
    }

    /// <summary>The detector of <paramref name="tenant"/>, or null when it has no (loaded) reference.</summary>
    public WindowMmdDetector? For(string tenant) => _detectors.GetValueOrDefault(tenant);

    /// <summary>Whether <paramref name="tenant"/> has a reference configured (loaded or not).</summary>
    public bool IsConfigured(string tenant) => _options.Tenants.ContainsKey(tenant);

    /// <summary>Per tenant, what <c>/readyz</c> shows (<c>*</c>: every other tenant).</summary>
    public IReadOnlyDictionary<string, string> Status => _status;

    /// <summary>
    /// Reads, embeds and calibrates every configured reference with <paramref name="embedderFor"/> (tenant →
    /// embedder). Throws <see cref="InvalidDataException"/> naming the tenant when a reference cannot be used.
    /// </summary>
    public async Task<IReadOnlyList<(string Tenant, int Prompts, int Streams, int Dimensions, double Threshold)>> LoadAsync(
        Func<string, ITextEmbedder> embedderFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embedderFor);
        var detectors = new Dictionary<string, WindowMmdDetector>(StringComparer.Ordinal);
        var status = new Dictionary<string, string>(StringComparer.Ordinal);
        var loaded = new List<(string, int, int, int, double)>();
        foreach (var (tenant, settings) in _options.Tenants)
        {
            var streams = await WindowMmdReferenceFile.ReadAsync(settings.ReferencePath!, cancellationToken);
            var embedder = embedderFor(tenant);
            var vectors = new List<IReadOnlyList<float[]>>(streams.Count);
            foreach (var stream in streams)
            {
                vectors.Add(await embedder.EmbedAsync(stream, cancellationToken));
            }

            var detector = Calibrate(tenant, vectors, embedder.Dimensions);
            detectors[tenant] = detector;
            var prompts = streams.Sum(s => s.Count);
            status[tenant] = string.Create(CultureInfo.InvariantCulture,
                $"active: {detector.Reference.Count} reference prompts of {prompts}, {embedder.Name}, window {detector.WindowSize}, MMD² threshold {detector.Reference.Threshold:G4} at {_options.TargetFalsePositiveRate:P1} benign windows");
            loaded.Add((tenant, prompts, streams.Count, embedder.Dimensions, detector.Reference.Threshold));
        }

        _detectors = detectors;
        _status = Describe(status);
        return loaded;
    }

    private WindowMmdDetector Calibrate(string tenant, List<IReadOnlyList<float[]>> streams, int dimensions)
    {
        var codec = VectorCodecs.For(dimensions) ?? throw Invalid(tenant, $"its embedder's {dimensions}-d vectors are outside what the detector takes");
        var all = streams.SelectMany(s => s).Where(v => v.AsSpan().ContainsAnyExcept(0f)).ToList();
        if (all.Count < MmdReference.MinVectors)
        {
            throw Invalid(tenant, $"it holds {all.Count} usable prompts; at least {MmdReference.MinVectors} are needed");
        }

        // An even sample when the file holds more than a reference keeps.
        var sample = all.Count <= MmdReference.MaxVectors
            ? all
            : [.. Enumerable.Range(0, MmdReference.MaxVectors).Select(i => all[(int)((long)i * all.Count / MmdReference.MaxVectors)])];
        var options = new WindowMmdOptions { WindowSize = _options.WindowSize };
        try
        {
            var uncalibrated = new WindowMmdDetector(options, MmdReference.Create(codec, sample, _options.Bandwidth));
            var benign = streams.Select(s => (IReadOnlyList<float[]>)[.. s.Where(v => v.AsSpan().ContainsAnyExcept(0f))]).ToList();
            var threshold = DetectorCalibration.MmdThreshold(uncalibrated, benign, _options.TargetFalsePositiveRate, _options.CalibrationWindows, _options.CalibrationSeed);
            if (!(threshold > 0))
            {
                throw Invalid(tenant, "its benign windows all lie at the reference (MMD² ≤ 0): use more varied prompts");
            }

            return new WindowMmdDetector(options, uncalibrated.Reference.WithThreshold(threshold));
        }
        catch (ArgumentException ex)
        {
            throw Invalid(tenant, ex.Message);
        }
    }

    private static InvalidDataException Invalid(string tenant, string why)
        => new($"{DetectionOptions.DetectorsSection}:{WindowMmdQueryDetector.DetectorName}:Tenants:{tenant}:ReferencePath cannot be used: {why}.");

    private static Dictionary<string, string> Describe(Dictionary<string, string> tenants)
    {
        tenants["*"] = "inactive: no reference configured";
        return tenants;
    }
}
