namespace GenSafety.Watermarking.Statistics;

/// <summary>Exact binomial upper tails, summed in log space (no normal approximation for short texts).</summary>
public static class BinomialTail
{
    /// <summary>P(X ≥ <paramref name="k"/>) for X ~ Binomial(<paramref name="n"/>, <paramref name="p"/>).</summary>
    public static double UpperTail(int n, int k, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(p, 1);
        if (k <= 0)
        {
            return 1;
        }

        if (k > n)
        {
            return 0;
        }

        var logP = Math.Log(p);
        var logQ = Math.Log(1 - p);
        // Terms fall geometrically beyond the mode, so summing from k upward in log space is exact to rounding.
        var logTerm = LogChoose(n, k) + (k * logP) + ((n - k) * logQ);
        var sum = 0.0;
        for (var i = k; i <= n; i++)
        {
            sum += Math.Exp(logTerm);
            logTerm += Math.Log((double)(n - i) / (i + 1)) + logP - logQ;
        }

        return Math.Min(1, sum);
    }

    /// <summary>Smallest hit count c with P(X ≥ c) ≤ <paramref name="alpha"/> (n + 1 when no count reaches it).</summary>
    public static int CriticalCount(int n, double p, double alpha)
    {
        var c = (int)Math.Floor(n * p);
        while (c <= n && UpperTail(n, c, p) > alpha)
        {
            c++;
        }

        return c;
    }

    private static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        var sum = 0.0;
        for (var i = 2; i <= n; i++)
        {
            sum += Math.Log(i);
        }

        return sum;
    }
}
