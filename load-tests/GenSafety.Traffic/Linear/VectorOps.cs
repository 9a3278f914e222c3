namespace GenSafety.Traffic.Linear;

/// <summary>Dense vector helpers shared by the SVD, the regression and the fidelity measure.</summary>
public static class VectorOps
{
    /// <summary>Σ aᵢbᵢ.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(b.Length, a.Length);
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Cosine similarity; 0 when either vector is zero.</summary>
    public static double Cosine(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var norms = Math.Sqrt(Dot(a, a) * Dot(b, b));
        return norms == 0 ? 0 : Dot(a, b) / norms;
    }

    /// <summary>The vector as doubles.</summary>
    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }
}
