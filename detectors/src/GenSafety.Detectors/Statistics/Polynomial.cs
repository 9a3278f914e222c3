namespace GenSafety.Detectors.Statistics;

/// <summary>Polynomial evaluation by Horner's rule.</summary>
internal static class Polynomial
{
    /// <summary>c₀ + c₁x + c₂x² + …, with <paramref name="coefficients"/> from the constant term up.</summary>
    public static double Evaluate(ReadOnlySpan<double> coefficients, double x)
    {
        var result = 0.0;
        for (var i = coefficients.Length - 1; i >= 0; i--)
        {
            result = (result * x) + coefficients[i];
        }

        return result;
    }
}
