namespace GenSafety.Watermarking.Statistics;

/// <summary>
/// Exact upper tail of a sum of independent Bernoulli variables with different rates (Poisson binomial), by dynamic
/// programming over positions: O(n²), meant for the tens to hundreds of positions one text has.
/// </summary>
public static class PoissonBinomialTail
{
    /// <summary>P(X ≥ <paramref name="k"/>) where X = Σ Bernoulli(<paramref name="rates"/>[i]).</summary>
    public static double UpperTail(ReadOnlySpan<double> rates, int k)
    {
        if (k <= 0)
        {
            return 1;
        }

        if (k > rates.Length)
        {
            return 0;
        }

        // distribution[j] = P(j successes so far).
        var distribution = new double[rates.Length + 1];
        distribution[0] = 1;
        for (var i = 0; i < rates.Length; i++)
        {
            var p = rates[i];
            for (var j = i + 1; j >= 1; j--)
            {
                distribution[j] = (distribution[j] * (1 - p)) + (distribution[j - 1] * p);
            }

            distribution[0] *= 1 - p;
        }

        var tail = 0.0;
        for (var j = k; j <= rates.Length; j++)
        {
            tail += distribution[j];
        }

        return Math.Min(1, tail);
    }
}
