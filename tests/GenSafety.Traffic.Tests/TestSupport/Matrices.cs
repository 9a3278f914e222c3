using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Tests.TestSupport;

/// <summary>Random test matrices (row-major rows).</summary>
internal static class Matrices
{
    public static double[][] Gaussian(int rows, int columns, SeededRandom random) =>
        [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => random.Gaussian()).ToArray())];

    public static double[][] Multiply(double[][] a, double[][] b)
    {
        var result = new double[a.Length][];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = new double[b[0].Length];
            for (var k = 0; k < b.Length; k++)
            {
                for (var j = 0; j < b[0].Length; j++)
                {
                    result[i][j] += a[i][k] * b[k][j];
                }
            }
        }

        return result;
    }

    /// <summary>A matrix with orthonormal columns (Gram–Schmidt on a Gaussian matrix).</summary>
    public static double[][] OrthonormalColumns(int rows, int columns, SeededRandom random)
    {
        var q = Gaussian(rows, columns, random);
        for (var j = 0; j < columns; j++)
        {
            for (var p = 0; p < j; p++)
            {
                var dot = Enumerable.Range(0, rows).Sum(i => q[i][j] * q[i][p]);
                for (var i = 0; i < rows; i++)
                {
                    q[i][j] -= dot * q[i][p];
                }
            }

            var norm = Math.Sqrt(Enumerable.Range(0, rows).Sum(i => q[i][j] * q[i][j]));
            for (var i = 0; i < rows; i++)
            {
                q[i][j] /= norm;
            }
        }

        return q;
    }

    public static double[][] Transpose(double[][] a) =>
        [.. Enumerable.Range(0, a[0].Length).Select(j => a.Select(row => row[j]).ToArray())];
}
