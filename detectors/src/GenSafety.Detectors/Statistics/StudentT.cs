namespace GenSafety.Detectors.Statistics;

/// <summary>Student's t distribution with real degrees of freedom (Welch's test gives fractional ones).</summary>
public static class StudentT
{
    /// <summary>P(T ≥ <paramref name="t"/>) for T with <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double UpperTail(double t, double degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degreesOfFreedom);
        if (double.IsNaN(t))
        {
            return double.NaN;
        }

        if (double.IsInfinity(t))
        {
            return t > 0 ? 0 : 1;
        }

        // P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, 1/2); half of it lies in each tail.
        var twoSided = SpecialFunctions.RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, degreesOfFreedom / (degreesOfFreedom + (t * t)));
        return t >= 0 ? twoSided / 2 : 1 - (twoSided / 2);
    }

    /// <summary>P(T ≤ <paramref name="t"/>).</summary>
    public static double Cdf(double t, double degreesOfFreedom) => UpperTail(-t, degreesOfFreedom);
}
