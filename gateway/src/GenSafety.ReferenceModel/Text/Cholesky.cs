namespace GenSafety.ReferenceModel.Text;

/// <summary>Solves small symmetric positive-definite systems in place.</summary>
internal static class Cholesky
{
    /// <summary>Solves <c>A x = b</c> for an n×n SPD matrix (row-major, overwritten by its factor); b becomes x.</summary>
    public static void Solve(Span<double> a, int n, Span<double> b)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[(i * n) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= a[(i * n) + k] * a[(j * n) + k];
                }

                a[(i * n) + j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-12)) : sum / a[(j * n) + j];
            }
        }

        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= a[(i * n) + k] * b[k];
            }

            b[i] = sum / a[(i * n) + i];
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < n; k++)
            {
                sum -= a[(k * n) + i] * b[k];
            }

            b[i] = sum / a[(i * n) + i];
        }
    }
}
