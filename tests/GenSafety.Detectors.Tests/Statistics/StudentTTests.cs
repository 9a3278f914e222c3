using GenSafety.Detectors.Statistics;

namespace GenSafety.Detectors.Tests.Statistics;

public sealed class StudentTTests
{
    // R 4.2.2: pt(t, df, lower.tail = FALSE), 17 significant digits.
    [Theory]
    [InlineData(2.0, 3.0, 6.9662984279421566e-02)]
    [InlineData(-1.5, 7.5, 9.1275971470676787e-01)]
    [InlineData(0.3, 1.0, 4.0722642092225769e-01)]
    [InlineData(8.0, 40.0, 3.9525420550522586e-10)]
    public void UpperTail_MatchesR(double t, double degreesOfFreedom, double expected)
    {
        Assert.Equal(expected, StudentT.UpperTail(t, degreesOfFreedom), expected * 1e-10);
    }

    [Fact]
    public void Cdf_MatchesR()
    {
        // pt(-3, 2.2)
        Assert.Equal(0.042510344912706687, StudentT.Cdf(-3, 2.2), 1e-12);
    }

    // R: pbeta(x, a, b) and lgamma(x).
    [Theory]
    [InlineData(2.5, 4.0, 0.3, 0.35219758590676714)]
    [InlineData(0.5, 30.0, 0.05, 0.91937057309356929)]
    public void RegularizedIncompleteBeta_MatchesR(double a, double b, double x, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.RegularizedIncompleteBeta(a, b, x), 1e-12);
    }

    [Theory]
    [InlineData(0.1, 2.25271265173420598)]
    [InlineData(1.5, -0.12078223763524518)]
    [InlineData(10.0, 12.80182748008146909)]
    [InlineData(123.4, 469.33609744219063487)]
    public void LogGamma_MatchesR(double x, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.LogGamma(x), Math.Abs(expected) * 1e-13);
    }

    [Fact]
    public void WelchGreater_MatchesRsTTest()
    {
        // t.test(x, y, var.equal = FALSE, alternative = "greater")
        double[] x = [5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3, 6.1];
        double[] y = [4.8, 5.0, 4.7, 5.2, 4.9, 5.3, 4.6];
        var result = WelchTTest.Greater(x, y);
        Assert.Equal(3.4707922652959167, result.T, 1e-12);
        Assert.Equal(10.884604368997783, result.DegreesOfFreedom, 1e-10);
        Assert.Equal(0.0026564075747340416, result.PValue, 1e-12);
    }

    [Fact]
    public void WelchGreater_RefusesConstantSamples()
    {
        Assert.Throws<ArgumentException>(() => WelchTTest.Greater([1.0, 1.0], [2.0, 2.0]));
        Assert.Throws<ArgumentException>(() => WelchTTest.Greater([1.0], [2.0, 3.0]));
    }

    [Fact]
    public void Auroc_CountsTiesHalf_AsMannWhitney()
    {
        // R: wilcox.test(c(0.9,0.8,0.8,0.3), c(0.1,0.8,0.4))$statistic / 12 = 0.75
        Assert.Equal(0.75, RankStatistics.Auroc([0.9, 0.8, 0.8, 0.3], [0.1, 0.8, 0.4]), 1e-15);
        Assert.Equal(1.0, RankStatistics.Auroc([2, 3], [0, 1]));
        Assert.Equal(0.0, RankStatistics.Auroc([0, 1], [2, 3]));
    }

    [Fact]
    public void HolmAdjust_MatchesRsPAdjust()
    {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2), method = "holm")
        var adjusted = RankStatistics.HolmAdjust([0.01, 0.04, 0.03, 0.005, 0.2]);
        double[] expected = [0.04, 0.09, 0.09, 0.025, 0.2];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], adjusted[i], 1e-15);
        }
    }
}
