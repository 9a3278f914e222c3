namespace GenSafety.Detectors.Statistics;

/// <summary>
/// Welch's unequal-variance t-test of two independent samples (Welch–Satterthwaite degrees of freedom), as R's
/// <c>t.test(x, y, var.equal = FALSE)</c> and SciPy's <c>ttest_ind(equal_var=False)</c> compute it.
/// </summary>
public static class WelchTTest
{
    /// <summary>
    /// Tests whether the mean of <paramref name="x"/> exceeds the mean of <paramref name="y"/> (one-sided,
    /// alternative "greater"). Each sample needs at least two values and the two together a positive variance.
    /// </summary>
    public static WelchTTestResult Greater(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length < 2 || y.Length < 2)
        {
            throw new ArgumentException("Each sample needs at least two values.");
        }

        var (meanX, varianceX) = MeanAndVariance(x);
        var (meanY, varianceY) = MeanAndVariance(y);
        double vx = varianceX / x.Length, vy = varianceY / y.Length;
        var standardError = Math.Sqrt(vx + vy);
        if (!(standardError > 0))
        {
            throw new ArgumentException("Both samples are constant: the test is undefined.");
        }

        var t = (meanX - meanY) / standardError;
        var degreesOfFreedom = (vx + vy) * (vx + vy) / ((vx * vx / (x.Length - 1)) + (vy * vy / (y.Length - 1)));
        var pooled = Math.Sqrt((((x.Length - 1) * varianceX) + ((y.Length - 1) * varianceY)) / (x.Length + y.Length - 2));
        var effect = pooled > 0 ? (meanX - meanY) / pooled : double.PositiveInfinity * Math.Sign(meanX - meanY);
        return new WelchTTestResult(t, degreesOfFreedom, StudentT.UpperTail(t, degreesOfFreedom), meanX - meanY, effect);
    }

    /// <summary>The mean and the unbiased (n − 1) variance.</summary>
    public static (double Mean, double Variance) MeanAndVariance(ReadOnlySpan<double> values)
    {
        var mean = 0.0;
        foreach (var value in values)
        {
            mean += value;
        }

        mean /= values.Length;
        var squares = 0.0;
        foreach (var value in values)
        {
            squares += (value - mean) * (value - mean);
        }

        return (mean, values.Length > 1 ? squares / (values.Length - 1) : 0);
    }
}

/// <summary>The outcome of <see cref="WelchTTest"/>.</summary>
/// <param name="T">The t statistic.</param>
/// <param name="DegreesOfFreedom">Welch–Satterthwaite degrees of freedom.</param>
/// <param name="PValue">One-sided p-value for the alternative mean(x) &gt; mean(y).</param>
/// <param name="MeanDifference">mean(x) − mean(y).</param>
/// <param name="EffectSize">Cohen's d: the mean difference over the pooled standard deviation.</param>
public readonly record struct WelchTTestResult(double T, double DegreesOfFreedom, double PValue, double MeanDifference, double EffectSize);
