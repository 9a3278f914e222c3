using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace GenSafety.Detectors.DatasetInference;

/// <summary>
/// The membership-inference features of one scored text (Maini et al. 2024's set, minus the ones that need extra
/// model calls, which <see cref="DocumentFeatureExtractor"/> adds): LOSS (mean negative log-likelihood, i.e. log
/// perplexity), the zlib ratio (LOSS over the zlib-compressed byte length, Carlini et al. 2021), Min-K% and Max-K%
/// (minus the mean of the lowest / highest k% token log-probabilities) at k ∈ <see cref="Fractions"/>, and Min-K%++
/// at k = 20% (Zhang et al. 2024: the mean of the lowest k% of (ln p(x_t) − μ_t)/σ_t). Min-K%++ is <em>exact</em> when
/// every token carries <see cref="ScoredToken.Moments"/>; from <see cref="ScoredToken.TopLogprobs"/> alone, μ and σ
/// are taken over the renormalised top-k (plus the scored token when it is not among them) and the feature is named
/// <c>min-k++-topk</c>: an approximation that ignores the tail of the distribution.
/// Every feature is oriented the way the literature states it: lower LOSS, zlib and Min-K% mean "more likely a member";
/// higher Min-K%++ means "more likely a member". The linear model in <see cref="DatasetInferenceTest"/> learns the signs.
/// </summary>
public static class MembershipFeatures
{
    /// <summary>The k of Min-K% and Max-K% (Maini et al.'s grid).</summary>
    public static IReadOnlyList<double> Fractions { get; } = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6];

    /// <summary>The k of Min-K%++.</summary>
    public const double MinKPlusPlusFraction = 0.2;

    /// <summary>LOSS: mean negative log-likelihood.</summary>
    public const string Loss = "loss";

    /// <summary>LOSS over zlib bytes.</summary>
    public const string Zlib = "zlib";

    /// <summary>Min-K%++ from exact moments.</summary>
    public const string MinKPlusPlusExact = "min-k++";

    /// <summary>Min-K%++ approximated from top-k logprobs.</summary>
    public const string MinKPlusPlusTopK = "min-k++-topk";

    /// <summary>The names of <see cref="Compute"/>'s values, in order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        Loss, Zlib,
        .. Fractions.Select(k => Name("min-k", k)),
        .. Fractions.Select(k => Name("max-k", k)),
        MinKPlusPlusExact, MinKPlusPlusTopK,
    ];

    /// <summary>
    /// The features of <paramref name="text"/> scored as <paramref name="tokens"/> (the first prompt token, which has no
    /// logprob, already left out), in the order of <see cref="Names"/>. A Min-K%++ variant without its inputs is NaN.
    /// </summary>
    public static double[] Compute(string text, IReadOnlyList<ScoredToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0)
        {
            throw new ArgumentException("A text needs at least one scored token.", nameof(tokens));
        }

        var logprobs = tokens.Select(t => t.Logprob).ToArray();
        if (logprobs.Any(l => !double.IsFinite(l) && !double.IsNegativeInfinity(l)))
        {
            throw new ArgumentException("Token logprobs must be numbers.", nameof(tokens));
        }

        // A token the model gives probability 0 would make every mean infinite: floor it like a vanishing probability.
        for (var i = 0; i < logprobs.Length; i++)
        {
            logprobs[i] = Math.Max(logprobs[i], LogprobFloor);
        }

        var loss = -logprobs.Average();
        var sorted = logprobs.Order().ToArray();
        var features = new List<double>(Names.Count) { loss, loss / ZlibBytes(text) };
        features.AddRange(Fractions.Select(k => -sorted.Take(Count(k, sorted.Length)).Average()));
        features.AddRange(Fractions.Select(k => -sorted.Reverse().Take(Count(k, sorted.Length)).Average()));
        features.Add(tokens.All(t => t.Moments is not null) ? MinKPlusPlus(tokens, logprobs, static (t, _) => t.Moments!.Value) : double.NaN);
        features.Add(tokens.All(t => t.TopLogprobs is { Count: > 0 }) ? MinKPlusPlus(tokens, logprobs, TopKMoments) : double.NaN);
        return [.. features];
    }

    /// <summary>Where logprobs are floored (about e⁻⁵⁰ ≈ 2e-22).</summary>
    public const double LogprobFloor = -50;

    /// <summary>The zlib-compressed size of the UTF-8 text in bytes (optimal compression; at least 1).</summary>
    public static int ZlibBytes(string text)
    {
        using var buffer = new MemoryStream();
        using (var zlib = new ZLibStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(Encoding.UTF8.GetBytes(text));
        }

        return Math.Max(1, (int)buffer.Length);
    }

    /// <summary>How many of <paramref name="total"/> values the lowest fraction <paramref name="k"/> takes (at least one).</summary>
    public static int Count(double k, int total) => Math.Clamp((int)Math.Ceiling(k * total), 1, total);

    private static string Name(string prefix, double k) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{k * 100:0}");

    private static double MinKPlusPlus(IReadOnlyList<ScoredToken> tokens, double[] logprobs, Func<ScoredToken, double, DistributionMoments> moments)
    {
        var scores = new double[tokens.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            var (mean, deviation) = moments(tokens[i], logprobs[i]);
            scores[i] = deviation > 1e-12 ? (logprobs[i] - mean) / deviation : 0;
        }

        Array.Sort(scores);
        return scores.Take(Count(MinKPlusPlusFraction, scores.Length)).Average();
    }

    // μ and σ over the top-k renormalised, with the scored token added when it is not among them (approximate).
    private static DistributionMoments TopKMoments(ScoredToken token, double logprob)
    {
        var alternatives = token.TopLogprobs!.Select(l => Math.Max(l, LogprobFloor)).ToList();
        if (!alternatives.Any(l => Math.Abs(l - logprob) < 1e-9))
        {
            alternatives.Add(logprob);
        }

        var mass = alternatives.Sum(Math.Exp);
        double mean = 0, square = 0;
        foreach (var l in alternatives)
        {
            var p = Math.Exp(l) / mass;
            var renormalised = l - Math.Log(mass);
            mean += p * renormalised;
            square += p * renormalised * renormalised;
        }

        // Back in the scale of the reported logprobs: ln p̃ = ln p − ln(mass), so μ shifts by ln(mass) and σ stays.
        return new DistributionMoments(mean + Math.Log(mass), Math.Sqrt(Math.Max(0, square - (mean * mean))));
    }
}
