using GenSafety.Detectors.Extraction;
using GenSafety.Gateway.Detection.Vectors;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.NearDuplicate;

/// <summary>
/// <c>near-duplicate</c>: the library's SEAT-style <see cref="NearDuplicateDetector"/> (k-NN mean distance of each
/// query to the client's earlier ones, flagged at the benign 0.1th percentile) over the query vectors of chat and
/// completions requests — the last user message, so an app's fixed system template or a conversation's growing
/// history does not make its queries near-duplicates, while an attacker's repeated or templated user prompts do.
/// Embeddings requests are left out: a search app inside one topic sends near-duplicates by design (B4B coverage
/// watches that route), and so are chat follow-ups ("Why is that?" recurs in every conversation). Score: the share of
/// the latest 32 measured queries that were flagged, past a free share (<see cref="NearDuplicateScoreOptions"/>). Options: the
/// library's <see cref="NearDuplicateOptions"/> (<c>GenSafety:Detection:Detectors:near-duplicate</c>); the default
/// threshold is calibrated for the hashing embedder.
/// </summary>
public sealed class NearDuplicateQueryDetector : VectorQueryDetector<NearDuplicateDetector, NearDuplicateState>
{
    /// <summary>The detector's name.</summary>
    public const string DetectorName = ExtractionDetectorNames.NearDuplicate;

    /// <summary>
    /// The gateway's default history (the library's is 64): 48 vectors keep the state under 8 KiB, so that every
    /// detector's state of one client fits in 64 KiB of Redis (docs/detection.md).
    /// </summary>
    public const int GatewayHistoryCapacity = 48;

    private readonly NearDuplicateOptions _options;
    private readonly NearDuplicateScoreOptions _score;

    /// <summary>Creates the detector.</summary>
    public NearDuplicateQueryDetector(IOptions<NearDuplicateOptions> options, IOptions<NearDuplicateScoreOptions> score)
        : base(DetectorName, new NearDuplicateDetector(options.Value, VectorCodecs.Largest).MaxStateSize)
    {
        ArgumentNullException.ThrowIfNull(score);
        _options = options.Value;
        _score = score.Value;
    }

    /// <inheritdoc />
    protected override bool Observes(QueryEvent queryEvent) => queryEvent is { FollowUp: false, RouteKind: RouteKinds.ChatCompletions or RouteKinds.Completions };

    /// <inheritdoc />
    protected override NearDuplicateDetector? DetectorFor(string tenant, int dimensions)
        => ForDimensions(dimensions, codec => new NearDuplicateDetector(_options, codec));

    /// <inheritdoc />
    protected override double Score(DetectorSignal signal)
        => Math.Clamp((signal.Score - _score.FreeShare) / (_score.SaturatingShare - _score.FreeShare), 0, 1);

    /// <inheritdoc />
    protected override string Describe(DetectorSignal signal)
        => Describe(signal, "k-NN mean distance", "threshold") + string.Create(System.Globalization.CultureInfo.InvariantCulture, $", {signal.Score:P0} of recent queries flagged");
}

/// <summary>Checks the <c>near-duplicate</c> options with the library's <see cref="NearDuplicateOptionsValidator"/>.</summary>
public sealed class NearDuplicateQueryOptionsValidator()
    : LibraryOptionsValidator<NearDuplicateOptions>(new NearDuplicateOptionsValidator(), NearDuplicateOptions.SectionName, DetectionOptions.DetectorsSection + ":" + NearDuplicateQueryDetector.DetectorName);
