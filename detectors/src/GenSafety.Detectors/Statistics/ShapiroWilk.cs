using System.Buffers;

namespace GenSafety.Detectors.Statistics;

/// <summary>
/// The Shapiro–Wilk test of normality with Royston's algorithm AS R94 (Applied Statistics 44, 1995): the
/// a-weights from normal scores corrected by Royston's polynomials in 1/√n, W as the squared correlation between
/// the ordered sample and the weights, and the p-value from Royston's normalising transforms of W (log(γ − log(1−W))
/// for n ≤ 11, log(1−W) for n ≥ 12; exact for n = 3). Follows the reference implementation that R's
/// <c>shapiro.test</c> uses, and agrees with it to about 1e-12.
/// </summary>
public static class ShapiroWilk
{
    /// <summary>Smallest sample the test accepts.</summary>
    public const int MinSampleSize = 3;

    /// <summary>Largest sample for which Royston's approximation is valid.</summary>
    public const int MaxSampleSize = 5000;

    // The weights depend on n alone and cost n/2 normal quantiles; a detector retests samples of the same few sizes.
    private static readonly double[]?[] WeightCache = new double[]?[MaxSampleSize + 1];

    // AS R94 polynomial coefficients, constant term first.
    // a-weight corrections for the two extreme order statistics, in u = 1/√n.
    private static ReadOnlySpan<double> C1 => [0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];

    private static ReadOnlySpan<double> C2 => [0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];

    // n ≤ 11: γ(n), then mean and log standard deviation of -log(γ - log(1-W)), in n.
    private static ReadOnlySpan<double> Gamma => [-2.273, 0.459];

    private static ReadOnlySpan<double> C3 => [0.544, -0.39978, 0.025054, -6.714e-4];

    private static ReadOnlySpan<double> C4 => [1.3822, -0.77857, 0.062767, -0.0020322];

    // n ≥ 12: mean and log standard deviation of log(1-W), in log n.
    private static ReadOnlySpan<double> C5 => [-1.5861, -0.31082, -0.083751, 0.0038915];

    private static ReadOnlySpan<double> C6 => [-0.4803, -0.082676, 0.0030302];

    /// <summary>Tests <paramref name="sample"/> (any order) for normality.</summary>
    /// <exception cref="ArgumentException">
    /// Fewer than <see cref="MinSampleSize"/> or more than <see cref="MaxSampleSize"/> values, a value that is not
    /// finite, or all values equal.
    /// </exception>
    public static ShapiroWilkResult Test(ReadOnlySpan<double> sample)
    {
        var problem = TryTestCore(sample, out var result);
        return problem is null ? result : throw new ArgumentException(problem, nameof(sample));
    }

    /// <summary>
    /// Tests <paramref name="sample"/> for normality; false (and a default result) where <see cref="Test"/> would
    /// throw, e.g. when all values are equal.
    /// </summary>
    public static bool TryTest(ReadOnlySpan<double> sample, out ShapiroWilkResult result) => TryTestCore(sample, out result) is null;

    /// <summary><see cref="Weights"/> of <paramref name="n"/>, computed once per n (the arrays are never written after).</summary>
    internal static double[] CachedWeights(int n)
    {
        if (Volatile.Read(ref WeightCache[n]) is { } cached)
        {
            return cached;
        }

        // Two threads may both compute it; either result is the same.
        var weights = Weights(n);
        Volatile.Write(ref WeightCache[n], weights);
        return weights;
    }

    /// <summary>
    /// The magnitudes a₁ … a_{n/2} of the weights of an ordered sample of size <paramref name="n"/>, from the extremes
    /// inwards (x₍ᵢ₎ gets −aᵢ, x₍ₙ₊₁₋ᵢ₎ gets +aᵢ, a middle value 0); Σ over all n weights squared is 1. Royston's
    /// approximation, as in AS R94.
    /// </summary>
    internal static double[] Weights(int n)
    {
        var half = n / 2;
        var a = new double[half];
        if (n == 3)
        {
            a[0] = Math.Sqrt(0.5);
            return a;
        }

        // m: approximate expected normal order statistics of the lower half (Blom scores, negative).
        var sumSquares = 0.0;
        for (var i = 0; i < half; i++)
        {
            var m = StandardNormal.Quantile((i + 1 - 0.375) / (n + 0.25));
            a[i] = m;
            sumSquares += m * m;
        }

        sumSquares *= 2.0;
        var norm = Math.Sqrt(sumSquares);
        var u = 1.0 / Math.Sqrt(n);
        var a1 = Polynomial.Evaluate(C1, u) - (a[0] / norm);

        // The extreme weights are the normalised scores corrected by the polynomials; the rest are the scores rescaled
        // so that the squares of all n weights sum to 1.
        int first;
        double scale;
        if (n > 5)
        {
            first = 2;
            var a2 = -(a[1] / norm) + Polynomial.Evaluate(C2, u);
            scale = Math.Sqrt((sumSquares - (2.0 * a[0] * a[0]) - (2.0 * a[1] * a[1])) / (1.0 - (2.0 * a1 * a1) - (2.0 * a2 * a2)));
            a[1] = a2;
        }
        else
        {
            first = 1;
            scale = Math.Sqrt((sumSquares - (2.0 * a[0] * a[0])) / (1.0 - (2.0 * a1 * a1)));
        }

        a[0] = a1;
        for (var i = first; i < half; i++)
        {
            a[i] /= -scale;
        }

        return a;
    }

    private static string? TryTestCore(ReadOnlySpan<double> sample, out ShapiroWilkResult result)
    {
        result = default;
        var n = sample.Length;
        if (n is < MinSampleSize or > MaxSampleSize)
        {
            return $"The Shapiro–Wilk test needs between {MinSampleSize} and {MaxSampleSize} values; got {n}.";
        }

        var buffer = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var x = buffer.AsSpan(0, n);
            sample.CopyTo(x);
            foreach (var value in x)
            {
                if (!double.IsFinite(value))
                {
                    return "The sample contains a value that is not finite.";
                }
            }

            x.Sort();
            var range = x[n - 1] - x[0];
            if (!(range > 0))
            {
                return "All values of the sample are equal.";
            }

            var w = Statistic(x, range, CachedWeights(n));
            result = new ShapiroWilkResult(w, PValue(w, n), n);
            return null;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(buffer);
        }
    }

    /// <summary>W as the squared correlation between the ordered sample and the weights.</summary>
    private static double Statistic(ReadOnlySpan<double> sorted, double range, double[] half)
    {
        var n = sorted.Length;

        // Shifted and scaled to [0, 1]: W does not depend on location or scale, and rounding stays small.
        var origin = sorted[0];
        var meanX = 0.0;
        foreach (var value in sorted)
        {
            meanX += (value - origin) / range;
        }

        meanX /= n;

        // The weights are antisymmetric (-aᵢ for the i-th smallest, +aᵢ for the i-th largest, 0 in the middle), so
        // their mean is 0.
        double ssa = 0, ssx = 0, sax = 0;
        for (var i = 0; i < n; i++)
        {
            var mirror = n - 1 - i;
            var weight = i < mirror ? -half[i] : i > mirror ? half[mirror] : 0.0;
            var centred = ((sorted[i] - origin) / range) - meanX;
            ssa += weight * weight;
            ssx += centred * centred;
            sax += weight * centred;
        }

        // 1 - W in this form avoids the rounding of 1 - (sax²/(ssa·ssx)) when W is very close to 1 (large samples).
        var root = Math.Sqrt(ssa * ssx);
        var oneMinusW = Math.Max(0.0, (root - sax) * (root + sax) / (ssa * ssx));
        return 1.0 - oneMinusW;
    }

    /// <summary>Royston's p-value for W from a sample of size <paramref name="n"/>.</summary>
    private static double PValue(double w, int n)
    {
        if (n == 3)
        {
            // Exact: p = 6/π (asin(√W) - asin(√(3/4))).
            const double SixOverPi = 1.90985931710274;
            const double AsinSqrtThreeQuarters = 1.04719755119660;
            return Math.Clamp(SixOverPi * (Math.Asin(Math.Sqrt(w)) - AsinSqrtThreeQuarters), 0.0, 1.0);
        }

        var y = Math.Log(1.0 - w);
        double mean, sd;
        if (n <= 11)
        {
            var gamma = Polynomial.Evaluate(Gamma, n);
            if (y >= gamma)
            {
                // Outside the transform's domain: W is as small as it can be, so normality is rejected outright.
                return 1e-99;
            }

            y = -Math.Log(gamma - y);
            mean = Polynomial.Evaluate(C3, n);
            sd = Math.Exp(Polynomial.Evaluate(C4, n));
        }
        else
        {
            var logN = Math.Log(n);
            mean = Polynomial.Evaluate(C5, logN);
            sd = Math.Exp(Polynomial.Evaluate(C6, logN));
        }

        return StandardNormal.UpperTail((y - mean) / sd);
    }
}
