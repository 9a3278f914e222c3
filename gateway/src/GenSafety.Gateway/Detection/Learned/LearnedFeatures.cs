using GenSafety.Gateway.Detection.Fusion;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Detection.Learned;

/// <summary>
/// The learned scorer's features of one step (one client's share of one micro-batch): each built-in detector's score
/// and request statistics of the step's events. The gateway computes them online and the dataset replay offline with
/// this one function, so a model sees in serving what it saw in training. Every feature is scaled to about [0, 1];
/// the model normalises further with constants it carries.
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
        "log-requests",
        "share-logit-bias",
        "share-extreme-bias",
        "share-logprobs",
        "log-max-tokens",
        "share-embeddings",
        "log-prompt-chars",
        "share-distinct-prompts",
        "share-cold-sampling",
        "log-gap-seconds",
        "log-interarrival-seconds",
    ];

    /// <summary>Number of features per step.</summary>
    public static int Count => Names.Count;

    // Seconds a gap is capped at (an hour): a returning client and a new one look alike beyond it.
    private const double MaxGapSeconds = 3600;

    /// <summary>
    /// Writes the features of <paramref name="input"/> into <paramref name="features"/> (length <see cref="Count"/>).
    /// <paramref name="previousStepEnd"/> is when the client's previous step ended (null for its first step).
    /// </summary>
    public static void Step(FusionInput input, DateTimeOffset? previousStepEnd, Span<float> features)
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
        var events = input.Events;
        var n = Math.Max(events.Count, 1);
        int logitBias = 0, extremeBias = 0, logprobs = 0, embeddings = 0, cold = 0;
        double maxTokens = 0, promptChars = 0;
        var hashes = new HashSet<ulong>();
        foreach (var e in events)
        {
            var p = e.Parameters;
            logitBias += p.LogitBias.Count > 0 ? 1 : 0;
            extremeBias += p.LogitBias.Any(static b => Math.Abs(b.Bias) >= 50) ? 1 : 0;
            logprobs += p.Logprobs || p.TopLogprobs > 0 || p.Echo ? 1 : 0;
            embeddings += e.RouteKind == RouteKinds.Embeddings ? 1 : 0;
            cold += p.Temperature is { } t && t <= 0.2 ? 1 : 0;
            maxTokens += Math.Log(1 + Math.Max(p.MaxTokens ?? 0, 0)) / Math.Log(1 + 4096.0);
            promptChars += Math.Log(1 + e.PromptText.Length) / Math.Log(1 + 16384.0);
            hashes.Add(e.PromptHash);
        }

        features[f++] = (float)(Math.Log(1 + events.Count) / Math.Log(1 + 256.0));
        features[f++] = (float)logitBias / n;
        features[f++] = (float)extremeBias / n;
        features[f++] = (float)logprobs / n;
        features[f++] = (float)Math.Min(maxTokens / n, 1);
        features[f++] = (float)embeddings / n;
        features[f++] = (float)Math.Min(promptChars / n, 1);
        features[f++] = events.Count == 0 ? 0 : (float)hashes.Count / events.Count;
        features[f++] = (float)cold / n;
        var gap = previousStepEnd is { } end && events.Count > 0
            ? Math.Clamp((events[0].At - end).TotalSeconds, 0, MaxGapSeconds)
            : MaxGapSeconds;
        features[f++] = (float)(Math.Log(1 + gap) / Math.Log(1 + MaxGapSeconds));
        var span = events.Count > 1 ? Math.Clamp((events[^1].At - events[0].At).TotalSeconds, 0, MaxGapSeconds) : 0;
        features[f] = (float)(Math.Log(1 + (span / n)) / Math.Log(1 + MaxGapSeconds));
    }

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
