using System.Numerics;
using System.Runtime.InteropServices;

namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// The few dense-vector operations decoding needs. Plain loops (and <see cref="Vector{T}"/> for the float
/// multiply-add): measured faster here than the generic double paths of System.Numerics.Tensors.
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

    /// <summary>target += factor · source.</summary>
    public static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float factor)
    {
        var wideTarget = MemoryMarshal.Cast<float, Vector<float>>(target);
        var wideSource = MemoryMarshal.Cast<float, Vector<float>>(source);
        var wideFactor = new Vector<float>(factor);
        for (var i = 0; i < wideTarget.Length; i++)
        {
            wideTarget[i] += wideSource[i] * wideFactor;
        }

        for (var i = wideTarget.Length * Vector<float>.Count; i < target.Length; i++)
        {
            target[i] += source[i] * factor;
        }
    }
}
