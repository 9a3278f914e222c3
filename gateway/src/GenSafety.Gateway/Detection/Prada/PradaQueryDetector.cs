using GenSafety.Detectors.Extraction;
using GenSafety.Gateway.Detection.Vectors;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Prada;

/// <summary>
/// <c>prada</c>: the library's <see cref="PradaDetector"/> (Juuti et al. 2019: Shapiro–Wilk W of the minimum
/// distances between a client's queries; synthetic query sets are not normal) over the query vectors of chat,
/// completions and embeddings requests (chat follow-ups left out: <see cref="QueryEvent.FollowUp"/>). Score: the library's, 0.5 at W = δ (<see cref="GatewayDelta"/>), 1 at W ≤ δ − band — so an
/// alarm lands at L2 and a clear one higher. Options: the library's <see cref="PradaOptions"/>, bound from
/// <c>GenSafety:Detection:Detectors:prada</c>.
/// </summary>
public sealed class PradaQueryDetector : VectorQueryDetector<PradaDetector, PradaState>
{
    /// <summary>The detector's name.</summary>
    public const string DetectorName = ExtractionDetectorNames.Prada;

    /// <summary>
    /// The gateway's default δ (the library's is 0.85): with the traffic generator's chat personas 2 of 100 clients
    /// had W in [0.83, 0.87] (score ≥ 0.3 at δ 0.85), while the attacks' W was ≤ 0.74; at 0.80 those clients score
    /// ≤ 0.2 (L0) and the attacks still 1.
    /// </summary>
    public const double GatewayDelta = 0.80;

    /// <summary>
    /// The gateway's default growing-set capacity (the library's is 64): with <see cref="GatewayDistanceCapacity"/> the
    /// state stays under 8 KiB, so that every detector's state of one client fits in 64 KiB of Redis (docs/detection.md).
    /// </summary>
    public const int GatewayGrowingSetCapacity = 48;

    /// <summary>The gateway's default distance capacity (the library's is 512).</summary>
    public const int GatewayDistanceCapacity = 400;

    private readonly PradaOptions _options;

    /// <summary>Creates the detector.</summary>
    public PradaQueryDetector(IOptions<PradaOptions> options)
        : base(DetectorName, new PradaDetector(options.Value, VectorCodecs.Largest).MaxStateSize)
        => _options = options.Value;

    /// <inheritdoc />
    protected override bool Observes(QueryEvent queryEvent)
        => queryEvent is { FollowUp: false, RouteKind: RouteKinds.ChatCompletions or RouteKinds.Completions or RouteKinds.Embeddings };

    /// <inheritdoc />
    protected override PradaDetector? DetectorFor(string tenant, int dimensions)
        => ForDimensions(dimensions, codec => new PradaDetector(_options, codec));

    /// <inheritdoc />
    protected override string Describe(DetectorSignal signal) => Describe(signal, "W", "δ");
}

/// <summary>Checks the <c>prada</c> options with the library's <see cref="PradaOptionsValidator"/>.</summary>
public sealed class PradaQueryOptionsValidator()
    : LibraryOptionsValidator<PradaOptions>(new PradaOptionsValidator(), PradaOptions.SectionName, DetectionOptions.DetectorsSection + ":" + PradaQueryDetector.DetectorName);
