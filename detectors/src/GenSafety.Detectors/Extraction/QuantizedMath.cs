using System.Numerics;

namespace GenSafety.Detectors.Extraction;

/// <summary>Exact integer arithmetic on quantised codes.</summary>
internal static class QuantizedMath
{
    /// <summary>Σ aᵢ·bᵢ over codes in [−128, 127]: exact, so independent of order and machine.</summary>
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var i = 0;
        var sum = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<sbyte>.Count)
        {
            // sbyte → short widening; products of two codes fit a short (|p| ≤ 16384), their pair sums an int.
            var accumulator = Vector<int>.Zero;
            for (; i <= a.Length - Vector<sbyte>.Count; i += Vector<sbyte>.Count)
            {
                Vector.Widen(new Vector<sbyte>(a[i..]), out var a0, out var a1);
                Vector.Widen(new Vector<sbyte>(b[i..]), out var b0, out var b1);
                Vector.Widen(a0 * b0, out var p0, out var p1);
                Vector.Widen(a1 * b1, out var p2, out var p3);
                accumulator += p0 + p1 + p2 + p3;
            }

            sum = Vector.Sum(accumulator);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// ‖sa·a − sb·b‖² from the scales, the squared code norms and the code dot product; symmetric in (a, b) to the
    /// last bit, so a kernel value added when a vector enters a window is exactly the one removed when it leaves.
    /// </summary>
    public static double SquaredDistance(float scaleA, int normA, float scaleB, int normB, int dot)
    {
        double a = scaleA, b = scaleB;
        var squared = (a * a * normA) + (b * b * normB) - (2.0 * (a * b) * dot);
        return squared > 0 ? squared : 0.0;
    }
}
