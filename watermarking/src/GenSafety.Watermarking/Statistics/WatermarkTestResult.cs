namespace GenSafety.Watermarking.Statistics;

/// <summary>
/// One watermark hypothesis test: <see cref="Hits"/> of <see cref="Scored"/> independent positions carried the keyed
/// property, each with probability <see cref="NullRate"/> (on average) when the text is not marked by the key.
/// </summary>
/// <param name="Scheme">Scheme name (<c>unigram-bias</c>, <c>lexical</c>).</param>
/// <param name="Kid">Key tested (with several keys: the one with the smallest p-value).</param>
/// <param name="Scored">Independent positions scored.</param>
/// <param name="Hits">Positions with the keyed property.</param>
/// <param name="NullRate">Probability of a hit at one position under the null hypothesis.</param>
/// <param name="Z">(hits − expected) / null standard deviation, e.g. (hits − n·γ) / sqrt(n·γ·(1 − γ)); 0 when nothing was scored.</param>
/// <param name="PValue">Exact P(X ≥ hits) under the null; with several keys, Bonferroni-adjusted (k·min p, at most 1).</param>
/// <param name="Alpha">False-positive rate the verdict was taken at.</param>
/// <param name="KeysTried">Number of keys tested (the Bonferroni factor).</param>
public sealed record WatermarkTestResult(
    string Scheme, string Kid, int Scored, int Hits, double NullRate, double Z, double PValue, double Alpha, int KeysTried)
{
    /// <summary>Whether the text is judged marked: <see cref="PValue"/> ≤ <see cref="Alpha"/>.</summary>
    public bool Detected => PValue <= Alpha;

    /// <summary>Builds the result of a single-key test with an exact binomial p-value.</summary>
    public static WatermarkTestResult Binomial(string scheme, string kid, int scored, int hits, double nullRate, double alpha)
    {
        var z = scored == 0 ? 0 : (hits - (scored * nullRate)) / Math.Sqrt(scored * nullRate * (1 - nullRate));
        return new(scheme, kid, scored, hits, nullRate, z, BinomialTail.UpperTail(scored, hits, nullRate), alpha, 1);
    }

    /// <summary>
    /// Builds the result of a single-key test whose positions have different null rates (exact Poisson-binomial
    /// p-value); <see cref="NullRate"/> reports their mean.
    /// </summary>
    public static WatermarkTestResult PoissonBinomial(string scheme, string kid, IReadOnlyList<double> nullRates, int hits, double alpha)
    {
        ArgumentNullException.ThrowIfNull(nullRates);
        var rates = nullRates.ToArray();
        var mean = rates.Sum();
        var variance = rates.Sum(p => p * (1 - p));
        var z = variance == 0 ? 0 : (hits - mean) / Math.Sqrt(variance);
        var nullRate = rates.Length == 0 ? 0 : mean / rates.Length;
        return new(scheme, kid, rates.Length, hits, nullRate, z, PoissonBinomialTail.UpperTail(rates, hits), alpha, 1);
    }

    /// <summary>Runs <paramref name="test"/> under every key and combines the results (see <see cref="Bonferroni"/>).</summary>
    public static WatermarkTestResult AcrossKeys(IReadOnlyList<Keys.WatermarkKey> keys, double alpha, Func<Keys.WatermarkKey, double, WatermarkTestResult> test)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(test);
        var results = new WatermarkTestResult[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            results[i] = test(keys[i], alpha);
        }

        return Bonferroni(results, alpha);
    }

    /// <summary>
    /// Combines one test per key (live and retired) into one verdict: the smallest p-value times the number of keys
    /// (Bonferroni), so the family-wise false-positive rate stays at most <paramref name="alpha"/>.
    /// </summary>
    public static WatermarkTestResult Bonferroni(IReadOnlyList<WatermarkTestResult> perKey, double alpha)
    {
        ArgumentNullException.ThrowIfNull(perKey);
        ArgumentOutOfRangeException.ThrowIfZero(perKey.Count);
        var best = perKey[0];
        foreach (var result in perKey)
        {
            if (result.PValue < best.PValue)
            {
                best = result;
            }
        }

        return best with { PValue = Math.Min(1, best.PValue * perKey.Count), Alpha = alpha, KeysTried = perKey.Count };
    }
}
