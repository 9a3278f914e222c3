namespace GenSafety.Detectors.Statistics;

/// <summary>
/// The standard normal distribution to double precision: the distribution function and its upper tail (series and
/// continued fraction for erfc, relative error near 1e-14 even far in the tails) and the quantile function
/// (Wichura's AS 241 PPND16, relative error about 1e-16).
/// </summary>
public static class StandardNormal
{
    private const double InverseSqrtPi = 0.56418958354775628695; // 1/sqrt(pi)
    private const double Sqrt2 = 1.41421356237309504880;

    // erfc switches from 1 - erf (series) to the continued fraction here: below, the series loses at most about
    // 2.5 of its 16 digits to cancellation; above, the continued fraction converges in a few dozen steps.
    private const double ContinuedFractionFrom = 2.0;

    // AS 241 coefficients, constant term first: |p - 0.5| ≤ 0.425 (A, B), then r = sqrt(-ln(tail)) ≤ 5 (C, D) and > 5 (E, F).
    private static ReadOnlySpan<double> CentralNumerator =>
    [
        3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
        45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
    ];

    private static ReadOnlySpan<double> CentralDenominator =>
    [
        1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
        21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
    ];

    private static ReadOnlySpan<double> NearNumerator =>
    [
        1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
        1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
    ];

    private static ReadOnlySpan<double> NearDenominator =>
    [
        1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
        0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
    ];

    private static ReadOnlySpan<double> FarNumerator =>
    [
        6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
        0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
    ];

    private static ReadOnlySpan<double> FarDenominator =>
    [
        1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
        7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
    ];

    /// <summary>P(Z ≤ <paramref name="x"/>).</summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        return x >= 0 ? 1.0 - HalfErfc(x) : HalfErfc(-x);
    }

    /// <summary>P(Z &gt; <paramref name="x"/>), accurate in relative terms far into the upper tail.</summary>
    public static double UpperTail(double x) => Cdf(-x);

    /// <summary>The <paramref name="p"/>-quantile: the z with P(Z ≤ z) = p; ±∞ at 0 and 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public static double Quantile(double p)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must lie in [0, 1].");
        }

        if (p == 0)
        {
            return double.NegativeInfinity;
        }

        if (p == 1)
        {
            return double.PositiveInfinity;
        }

        // Algorithm AS 241 (Wichura 1988), PPND16: rational approximations in three regions.
        var q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            var r = 0.180625 - (q * q);
            return q * Polynomial.Evaluate(CentralNumerator, r) / Polynomial.Evaluate(CentralDenominator, r);
        }

        var s = Math.Sqrt(-Math.Log(q < 0 ? p : 1.0 - p));
        var value = s <= 5.0
            ? Polynomial.Evaluate(NearNumerator, s - 1.6) / Polynomial.Evaluate(NearDenominator, s - 1.6)
            : Polynomial.Evaluate(FarNumerator, s - 5.0) / Polynomial.Evaluate(FarDenominator, s - 5.0);
        return q < 0 ? -value : value;
    }

    /// <summary>P(Z &gt; x) for x ≥ 0, i.e. erfc(x/√2)/2.</summary>
    private static double HalfErfc(double x)
    {
        if (double.IsPositiveInfinity(x))
        {
            return 0.0;
        }

        var z = x / Sqrt2;
        if (z < ContinuedFractionFrom)
        {
            // erf(z) = 2/√π · e^{-z²} · Σ 2ⁿ z^{2n+1} / (1·3·…·(2n+1)): all terms positive, no cancellation.
            var term = z;
            var sum = z;
            var twoZ2 = 2.0 * z * z;
            for (var n = 1; n < 200 && term > sum * 1e-17; n++)
            {
                term *= twoZ2 / ((2 * n) + 1);
                sum += term;
            }

            var erf = 2.0 * InverseSqrtPi * Math.Exp(-0.5 * x * x) * sum;
            return 0.5 * (1.0 - erf);
        }

        // erfc(z) = e^{-z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated with modified Lentz.
        const double Tiny = 1e-300;
        var f = z;
        var c = z;
        var d = 0.0;
        for (var n = 1; n < 500; n++)
        {
            var a = 0.5 * n;
            d = z + (a * d);
            d = Math.Abs(d) < Tiny ? 1.0 / Tiny : 1.0 / d;
            c = z + (a / c);
            if (Math.Abs(c) < Tiny)
            {
                c = Tiny;
            }

            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16)
            {
                break;
            }
        }

        return 0.5 * InverseSqrtPi * Math.Exp(-0.5 * x * x) / f;
    }
}
