using GenSafety.Watermarking.Statistics;

namespace GenSafety.Watermarking.Tests.Statistics;

public sealed class StatisticsTests
{
    [Theory]
    [InlineData(1e-2, 2.326348)]
    [InlineData(1e-3, 3.090232)]
    [InlineData(1e-6, 4.753424)]
    [InlineData(0.5, 0)]
    public void UpperQuantile_KnownCriticalValues(double p, double z)
    {
        Assert.Equal(z, StandardNormal.UpperQuantile(p), 5);
        Assert.Equal(p, StandardNormal.UpperTail(z), p * 1e-5);
    }

    [Fact]
    public void BinomialUpperTail_ExactSmallCase()
    {
        Assert.Equal((45 + 10 + 1) / 1024.0, BinomialTail.UpperTail(10, 8, 0.5), 12);
        Assert.Equal(1, BinomialTail.UpperTail(10, 0, 0.3));
        Assert.Equal(0, BinomialTail.UpperTail(10, 11, 0.3));
        Assert.Equal(1, BinomialTail.UpperTail(20, 20, 0.25) / Math.Pow(0.25, 20), 9);
    }

    [Fact]
    public void CriticalCount_IsSmallestCountUnderAlpha()
    {
        var c = BinomialTail.CriticalCount(100, 0.25, 1e-3);

        Assert.True(BinomialTail.UpperTail(100, c, 0.25) <= 1e-3);
        Assert.True(BinomialTail.UpperTail(100, c - 1, 0.25) > 1e-3);
    }

    [Fact]
    public void Bonferroni_MultipliesSmallestPByKeyCount()
    {
        var results = new[]
        {
            WatermarkTestResult.Binomial("s", "a.1", 100, 30, 0.25, 1e-3),
            WatermarkTestResult.Binomial("s", "a.0", 100, 45, 0.25, 1e-3),
            WatermarkTestResult.Binomial("s", "a.-1", 100, 20, 0.25, 1e-3),
        };

        var combined = WatermarkTestResult.Bonferroni(results, 1e-3);

        Assert.Equal("a.0", combined.Kid);
        Assert.Equal(3, combined.KeysTried);
        Assert.Equal(Math.Min(1, results[1].PValue * 3), combined.PValue, 15);
        Assert.Equal(results[1].Z, combined.Z);
    }
}
