namespace GenSafety.Traffic.Linear;

/// <summary>Solves A·X = B for a symmetric positive-definite A by Cholesky factorisation (A = L·Lᵀ).</summary>
public static class SymmetricSolver
{
    /// <summary>
    /// Overwrites <paramref name="rightHandSides"/> (n × k, row-major) with the solution of A·X = B, where
    /// <paramref name="a"/> (n × n, row-major) is overwritten by its Cholesky factor.
    /// </summary>
    /// <exception cref="ArgumentException">A is not positive definite.</exception>
    public static void Solve(double[] a, int n, double[] rightHandSides, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(a.Length, n * n);
        ArgumentOutOfRangeException.ThrowIfNotEqual(rightHandSides.Length, n * k);
        Factor(a, n);
        // L·Y = B, column block by rows.
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                var l = a[(i * n) + j];
                if (l != 0)
                {
                    AddScaledRow(rightHandSides, i, j, -l, k);
                }
            }

            ScaleRow(rightHandSides, i, 1 / a[(i * n) + i], k);
        }

        // Lᵀ·X = Y.
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = i + 1; j < n; j++)
            {
                var l = a[(j * n) + i];
                if (l != 0)
                {
                    AddScaledRow(rightHandSides, i, j, -l, k);
                }
            }

            ScaleRow(rightHandSides, i, 1 / a[(i * n) + i], k);
        }
    }

    private static void Factor(double[] a, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var diagonal = a[(j * n) + j];
            for (var p = 0; p < j; p++)
            {
                diagonal -= a[(j * n) + p] * a[(j * n) + p];
            }

            if (!(diagonal > 0))
            {
                throw new ArgumentException("The matrix is not positive definite.", nameof(a));
            }

            var root = Math.Sqrt(diagonal);
            a[(j * n) + j] = root;
            for (var i = j + 1; i < n; i++)
            {
                var sum = a[(i * n) + j];
                for (var p = 0; p < j; p++)
                {
                    sum -= a[(i * n) + p] * a[(j * n) + p];
                }

                a[(i * n) + j] = sum / root;
            }

            for (var i = 0; i < j; i++)
            {
                a[(i * n) + j] = 0; // keep only L
            }
        }
    }

    private static void AddScaledRow(double[] m, int target, int source, double factor, int k)
    {
        for (var c = 0; c < k; c++)
        {
            m[(target * k) + c] += factor * m[(source * k) + c];
        }
    }

    private static void ScaleRow(double[] m, int row, double factor, int k)
    {
        for (var c = 0; c < k; c++)
        {
            m[(row * k) + c] *= factor;
        }
    }
}
