namespace GenSafety.Traffic.Linear;

/// <summary>
/// Singular values by one-sided Jacobi (Hestenes) rotations: plane rotations make the columns of a copy of the
/// matrix mutually orthogonal, and the singular values are then the column norms. Slower than Golub–Kahan for
/// large matrices, but short, dependency-free and accurate for the small singular values a rank estimate
/// needs (Demmel and Veselić, "Jacobi's method is more accurate than QR", 1992).
/// </summary>
public static class JacobiSvd
{
    private const int MaxSweeps = 80;

    /// <summary>
    /// The singular values of the <paramref name="rows"/> × <paramref name="columns"/> matrix <paramref name="matrix"/>
    /// (row-major), largest first; min(rows, columns) of them.
    /// </summary>
    public static double[] SingularValues(ReadOnlySpan<double> matrix, int rows, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(matrix.Length, rows * columns);
        // Rotate the shorter dimension's vectors: columns when there are fewer columns than rows, else the rows
        // (the singular values of A and Aᵀ are the same).
        var (count, length) = columns <= rows ? (columns, rows) : (rows, columns);
        var vectors = new double[count][];
        for (var k = 0; k < count; k++)
        {
            vectors[k] = new double[length];
            for (var i = 0; i < length; i++)
            {
                vectors[k][i] = columns <= rows ? matrix[(i * columns) + k] : matrix[(k * columns) + i];
            }
        }

        Orthogonalize(vectors);
        var values = new double[count];
        for (var k = 0; k < count; k++)
        {
            values[k] = Math.Sqrt(VectorOps.Dot(vectors[k], vectors[k]));
        }

        Array.Sort(values, (a, b) => b.CompareTo(a));
        return values;
    }

    /// <summary>The singular values of a matrix given as rows of equal length.</summary>
    public static double[] SingularValues(IReadOnlyList<double[]> rows)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rows.Count);
        var columns = rows[0].Length;
        var flat = new double[rows.Count * columns];
        for (var i = 0; i < rows.Count; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(rows[i].Length, columns);
            rows[i].CopyTo(flat, i * columns);
        }

        return SingularValues(flat, rows.Count, columns);
    }

    private static void Orthogonalize(double[][] vectors)
    {
        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var rotated = false;
            for (var p = 0; p < vectors.Length - 1; p++)
            {
                for (var q = p + 1; q < vectors.Length; q++)
                {
                    rotated |= Rotate(vectors[p], vectors[q]);
                }
            }

            if (!rotated)
            {
                return;
            }
        }
    }

    /// <summary>Rotates the pair so that it becomes orthogonal; false when it already is (to working precision).</summary>
    private static bool Rotate(double[] up, double[] uq)
    {
        var alpha = VectorOps.Dot(up, up);
        var beta = VectorOps.Dot(uq, uq);
        var gamma = VectorOps.Dot(up, uq);
        if (gamma == 0 || Math.Abs(gamma) <= 1e-15 * Math.Sqrt(alpha * beta))
        {
            return false;
        }

        var zeta = (beta - alpha) / (2 * gamma);
        var t = Math.Sign(zeta == 0 ? 1 : zeta) / (Math.Abs(zeta) + Math.Sqrt(1 + (zeta * zeta)));
        var c = 1 / Math.Sqrt(1 + (t * t));
        var s = c * t;
        for (var i = 0; i < up.Length; i++)
        {
            var x = up[i];
            var y = uq[i];
            up[i] = (c * x) - (s * y);
            uq[i] = (s * x) + (c * y);
        }

        return true;
    }
}
