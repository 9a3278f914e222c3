using GenSafety.Traffic.Linear;
using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Tests.TestSupport;

namespace GenSafety.Traffic.Tests.Linear;

public sealed class JacobiSvdTests
{
    [Fact]
    public void SingularValues_Diagonal_AreAbsoluteDiagonalSorted()
    {
        double[] matrix = [3, 0, 0, 0, -5, 0, 0, 0, 1];

        var values = JacobiSvd.SingularValues(matrix, 3, 3);

        Assert.Equal([5, 3, 1], values);
    }

    [Fact]
    public void SingularValues_TwoByTwo_MatchClosedForm()
    {
        // [[1, 2], [3, 4]]: σ² are the eigenvalues of AᵀA = [[10, 14], [14, 20]], 15 ± √221.
        var values = JacobiSvd.SingularValues([1, 2, 3, 4], 2, 2);

        Assert.Equal(Math.Sqrt(15 + Math.Sqrt(221)), values[0], 12);
        Assert.Equal(Math.Sqrt(15 - Math.Sqrt(221)), values[1], 12);
    }

    [Theory]
    [InlineData(40, 12)]
    [InlineData(12, 40)]
    public void SingularValues_ConstructedFromKnownSpectrum_AreRecovered(int rows, int columns)
    {
        var random = new SeededRandom(11);
        var k = Math.Min(rows, columns);
        double[] sigma = [.. Enumerable.Range(0, k).Select(i => Math.Pow(10, 3 - (0.5 * i)))]; // 1e3 down to 1e-2.5
        var u = Matrices.OrthonormalColumns(rows, k, random);
        var v = Matrices.OrthonormalColumns(columns, k, random);
        var scaled = u.Select(row => row.Select((x, j) => x * sigma[j]).ToArray()).ToArray();
        var a = Matrices.Multiply(scaled, Matrices.Transpose(v));

        var values = JacobiSvd.SingularValues(a);

        Assert.Equal(k, values.Length);
        for (var i = 0; i < k; i++)
        {
            Assert.True(Math.Abs(values[i] - sigma[i]) <= 1e-9 * sigma[0], $"σ{i + 1}: {values[i]} vs {sigma[i]}");
        }
    }

    [Theory]
    [InlineData(60, 30, 7)]
    [InlineData(25, 90, 16)]
    [InlineData(50, 50, 1)]
    public void SingularValues_LowRankProduct_HasExactlyRankNonZeroValues(int rows, int columns, int rank)
    {
        var random = new SeededRandom(5);
        var a = Matrices.Multiply(Matrices.Gaussian(rows, rank, random), Matrices.Gaussian(rank, columns, random));

        var values = JacobiSvd.SingularValues(a);

        Assert.All(values.Take(rank), v => Assert.True(v > 1e-3 * values[0]));
        Assert.All(values.Skip(rank), v => Assert.True(v < 1e-12 * values[0], $"{v} is not numerically zero"));
        var estimate = HiddenSizeEstimate.FromSpectrum(values, rows, columns);
        Assert.True(estimate.Conclusive);
        Assert.Equal(rank, estimate.HiddenSize);
    }

    [Fact]
    public void SingularValues_FrobeniusNorm_IsPreserved()
    {
        var a = Matrices.Gaussian(17, 9, new SeededRandom(3));

        var values = JacobiSvd.SingularValues(a);

        Assert.Equal(a.Sum(r => r.Sum(x => x * x)), values.Sum(v => v * v), 9);
    }
}
