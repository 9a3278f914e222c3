using System.Numerics;
using System.Runtime.InteropServices;

namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// The few dense-vector operations decoding needs. Plain loops (and <see cref="Vector{T}"/> for the float dot
/// product): measured faster here than the generic double paths of System.Numerics.Tensors.
/// </summary>
internal static class VectorMath
{
    public static void Scale(ReadOnlySpan<double> source, double factor, Span<double> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] * factor;
        }
    }

    public static double Sum(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum;
    }

    public static double Max(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }

        return max;
    }

    /// <summary>Index of the first largest value.</summary>
    public static int IndexOfMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var wide = MemoryMarshal.Cast<float, Vector<float>>(a);
        var wideB = MemoryMarshal.Cast<float, Vector<float>>(b);
        for (var i = 0; i < wide.Length; i++)
        {
            sum += wide[i] * wideB[i];
        }

        var result = Vector.Sum(sum);
        for (var i = wide.Length * Vector<float>.Count; i < a.Length; i++)
        {
            result += a[i] * b[i];
        }

        return result;
    }
}
