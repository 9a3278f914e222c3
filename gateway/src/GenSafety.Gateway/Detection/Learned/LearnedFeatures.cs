using GenSafety.Gateway.Detection.Fusion;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Detection.Learned;

/// <summary>
/// The learned scorer's features of one step. A step is one request: the built-in detectors' scores of the
/// micro-batch it arrived in, the client's returned-embedding coverage, and the request's own parameters and timing.
/// Steps are per request rather than per micro-batch so that the features do not depend on how the gateway happened
/// to batch (under load a batch holds many of a client's requests, when idle one). The gateway computes them online
/// and the dataset replay offline with this one function, so a model sees in serving what it saw in training. Every
/// feature is scaled to [0, 1]; the model normalises further with constants it carries.
/// </summary>
public static class LearnedFeatures
{
    /// <summary>Detectors whose scores are features, in feature order (a detector that did not run scores 0).</summary>
    public static IReadOnlyList<string> Detectors { get; } =
        ["api-surface", "b4b-coverage", "prada", "near-duplicate", "harvesting", "window-mmd"];

    /// <summary>Feature names in order; a model records them and is refused when they differ.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        .. Detectors.Select(d => "score:" + d),
        "embedding-coverage",
        "log-gap-seconds",
        "logit-bias",
        "extreme-bias",
        "log-bias-entries",
        "logprobs",
        "top-logprobs",
        "log-max-tokens",
        "embeddings",
        "log-prompt-chars",
        "repeated-prompt",
        "cold-sampling",
    ];

    /// <summary>Number of features per step.</summary>
    public static int Count => Names.Count;

    // Seconds a gap is capped at (an hour): a returning client and a new one look alike beyond it.
    private const double MaxGapSeconds = 3600;

    /// <summary>
    /// Writes the features of request <paramref name="queryEvent"/> (null: a step of scores alone) of
    /// <paramref name="input"/>'s batch into <paramref name="features"/> (length <see cref="Count"/>).
    /// <paramref name="previousAt"/> is when the client's previous request arrived (null: none known);
    /// <paramref name="repeated"/> says whether the client sent the same prompt within its last
/// <see cref="LearnedFeatureWindows.MaxWindow"/> requests.
    /// </summary>
    public static void Step(FusionInput input, QueryEvent? queryEvent, DateTimeOffset? previousAt, bool repeated, Span<float> features)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (features.Length != Count)
        {
            throw new ArgumentException($"Expected {Count} features, got a span of {features.Length}.", nameof(features));
        }

        features.Clear();
        foreach (var signal in input.Signals)
        {
            var index = IndexOf(signal.Detector);
            if (index >= 0)
            {
                features[index] = (float)Math.Clamp(signal.Score, 0, 1);
            }
        }

        var f = Detectors.Count;
        features[f++] = (float)Math.Clamp(input.EmbeddingCoverage ?? 0, 0, 1);
        var gap = previousAt is { } before && queryEvent is not null
            ? Math.Clamp((queryEvent.At - before).TotalSeconds, 0, MaxGapSeconds)
            : MaxGapSeconds;
        features[f++] = Log(gap, MaxGapSeconds);
        if (queryEvent is null)
        {
            return;
        }

        var p = queryEvent.Parameters;
        features[f++] = p.LogitBias.Count > 0 ? 1 : 0;
        features[f++] = p.LogitBias.Any(static b => Math.Abs(b.Bias) >= 50) ? 1 : 0;
        features[f++] = Log(p.LogitBias.Count, 300);
        features[f++] = p.Logprobs || p.Echo ? 1 : 0;
        features[f++] = Math.Clamp(p.TopLogprobs ?? 0, 0, 20) / 20f;
        features[f++] = Log(Math.Max(p.MaxTokens ?? 0, 0), 4096);
        features[f++] = queryEvent.RouteKind == RouteKinds.Embeddings ? 1 : 0;
        features[f++] = Log(queryEvent.PromptText.Length, 16384);
        features[f++] = repeated ? 1 : 0;
        features[f] = p.Temperature is { } t && t <= 0.2 ? 1 : 0;
    }

    // log(1 + value) / log(1 + max), clamped to [0, 1].
    private static float Log(double value, double max) => (float)Math.Clamp(Math.Log(1 + Math.Max(value, 0)) / Math.Log(1 + max), 0, 1);

    private static int IndexOf(string detector)
    {
        for (var i = 0; i < Detectors.Count; i++)
        {
            if (string.Equals(Detectors[i], detector, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
