using System.Globalization;
using GenSafety.Detectors.Extraction;
using GenSafety.Gateway.Detection.Vectors;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.WindowMmd;

/// <summary>
/// <c>window-mmd</c>: the library's <see cref="WindowMmdDetector"/> (after arXiv 2606.05725: unbiased MMD² between the
/// client's latest m query vectors and its tenant's benign reference) over the query texts of chat, completions and
/// embeddings requests. Only tenants with a reference (<see cref="WindowMmdQueryOptions.Tenants"/>) are scored; for
/// the others no vectors are even embedded. Score: clamp(MMD² / (2 · AlarmRatio · threshold)), 0 until the window is
/// full.
/// </summary>
public sealed class WindowMmdQueryDetector : VectorQueryDetector<WindowMmdDetector, WindowMmdState>, IDetectorStatus
{
    /// <summary>The detector's name.</summary>
    public const string DetectorName = ExtractionDetectorNames.WindowMmd;

    private readonly WindowMmdReferences _references;
    private readonly double _alarmRatio;

    /// <summary>Creates the detector over the tenants' <paramref name="references"/>.</summary>
    public WindowMmdQueryDetector(WindowMmdReferences references, IOptions<WindowMmdQueryOptions> options)
        : base(DetectorName, MaxState(options))
    {
        _references = references;
        _alarmRatio = options.Value.AlarmRatio;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> Status => _references.Status;

    /// <inheritdoc />
    protected override string InactiveReason => "no benign reference for this tenant and embedder";

    /// <inheritdoc />
    protected override bool Observes(QueryEvent queryEvent) => queryEvent?.RouteKind is RouteKinds.ChatCompletions or RouteKinds.Completions or RouteKinds.Embeddings;

    /// <inheritdoc />
    protected override bool IsActiveFor(string tenant) => _references.For(tenant) is not null;

    /// <inheritdoc />
    protected override WindowMmdDetector? DetectorFor(string tenant, int dimensions)
        => _references.For(tenant) is { } detector && detector.Codec.InputDimensions == dimensions ? detector : null;

    /// <inheritdoc />
    protected override double Score(DetectorSignal signal)
        => double.IsNaN(signal.Statistic) || !(signal.Threshold > 0) ? 0 : Math.Clamp(signal.Statistic / (2 * _alarmRatio * signal.Threshold), 0, 1);

    /// <inheritdoc />
    protected override string Describe(DetectorSignal signal)
        => Describe(signal, "MMD²", "threshold") + (signal.Threshold > 0 && !double.IsNaN(signal.Statistic)
            ? string.Create(CultureInfo.InvariantCulture, $", {signal.Statistic / signal.Threshold:0.##}× the threshold")
            : string.Empty);

    private static int MaxState(IOptions<WindowMmdQueryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return WindowMmdDetector.MaxStateSizeFor(new WindowMmdOptions { WindowSize = options.Value.WindowSize }, VectorCodecs.Largest);
    }
}
