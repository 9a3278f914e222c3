using System.IO.Compression;
using System.Text;
using GenSafety.Detectors.Extraction;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Finds memorised runs in returned logprobs: the longest stretch of near-certain tokens (surprisal ≤
/// <see cref="MemorizedRunOptions.MaxTokenSurprisal"/>, and entropy over the returned alternatives ≤
/// <see cref="MemorizedRunOptions.MaxTokenEntropy"/>) of at least <see cref="MemorizedRunOptions.MinRunTokens"/>
/// tokens whose text zlib cannot compress much (not a repetition) while the model needs almost no bits for it (high
/// zlib ratio). Such a run is what recitation of training text looks like; its text should then go through the
/// protected-text index. The entropy from top-k alternatives is approximate: the unseen probability mass is
/// counted as one more outcome.
/// </summary>
public sealed class MemorizedRunDetector
{
    private readonly MemorizedRunOptions _options;

    /// <summary>Creates a detector.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public MemorizedRunDetector(MemorizedRunOptions options)
    {
        OptionsCheck.ThrowIfInvalid(new MemorizedRunOptionsValidator(), options, MemorizedRunOptions.SectionName);
        _options = options;
    }

    /// <summary>Inspects the tokens of one choice.</summary>
    public MemorizedRunSignal Inspect(IReadOnlyList<TokenLogprob> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        int bestStart = 0, bestLength = 0, start = 0;
        for (var i = 0; i <= tokens.Count; i++)
        {
            if (i < tokens.Count && IsNearCertain(tokens[i]))
            {
                continue;
            }

            if (i - start > bestLength)
            {
                (bestStart, bestLength) = (start, i - start);
            }

            start = i + 1;
        }

        if (bestLength < _options.MinRunTokens)
        {
            return new MemorizedRunSignal(false, 0, bestStart, bestLength, 0, 0);
        }

        var text = new StringBuilder();
        var nats = 0.0;
        for (var i = bestStart; i < bestStart + bestLength; i++)
        {
            text.Append(tokens[i].Token);
            nats -= tokens[i].Logprob;
        }

        var raw = Encoding.UTF8.GetBytes(text.ToString());
        var compressed = ZlibLength(raw);
        var zlibRatio = compressed * 8.0 / Math.Max(nats / Math.Log(2), 1.0);
        var fraction = (double)compressed / Math.Max(raw.Length, 1);
        var memorized = zlibRatio >= _options.MinZlibRatio && fraction >= _options.MinCompressedFraction;
        var score = memorized ? Math.Min(1.0, 0.5 + 0.5 * (bestLength - _options.MinRunTokens) / _options.MinRunTokens) : 0;
        return new MemorizedRunSignal(memorized, score, bestStart, bestLength, zlibRatio, fraction);
    }

    private bool IsNearCertain(TokenLogprob token)
    {
        if (!double.IsFinite(token.Logprob) || -token.Logprob > _options.MaxTokenSurprisal)
        {
            return false;
        }

        if (token.TopLogprobs is not { Count: > 0 } top)
        {
            return true;
        }

        double entropy = 0, mass = 0;
        foreach (var logprob in top)
        {
            var p = Math.Exp(Math.Min(0, logprob));
            mass += p;
            entropy -= p * Math.Min(0, logprob);
        }

        var rest = 1 - mass;
        if (rest > 1e-12)
        {
            entropy -= rest * Math.Log(rest);
        }

        return entropy <= _options.MaxTokenEntropy;
    }

    private static int ZlibLength(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        return (int)output.Length;
    }
}
