using GenSafety.Detectors.Statistics;

namespace GenSafety.Detectors.Tests.Statistics;

public sealed class StandardNormalTests
{
    // Reference values printed by R 4.2.2 (qnorm, pnorm) with 17 significant digits.
    [Theory]
    [InlineData(0.975, 1.9599639845400536)]
    [InlineData(1e-10, -6.3613409024040557)]
    [InlineData(0.3, -0.52440051270804067)]
    [InlineData(1 - 1e-12, 7.0344869100478356)]
    public void Quantile_MatchesR(double p, double expected)
    {
        Assert.Equal(expected, StandardNormal.Quantile(p), Math.Abs(expected) * 1e-12);
    }

    [Theory]
    [InlineData(-1.0, 0.15865525393145705)]
    [InlineData(-5.0, 2.8665157187919391e-07)]
    [InlineData(-10.0, 7.6198530241605269e-24)]
    [InlineData(-30.0, 4.9067139271481872e-198)]
    [InlineData(2.5, 0.99379033467422384)]
    [InlineData(-3.1, 0.00096760321321835631)]
    public void Cdf_MatchesR(double x, double expected)
    {
        Assert.Equal(expected, StandardNormal.Cdf(x), expected * 1e-12);
    }

    [Theory]
    [InlineData(0.3, 0.38208857781104733)]
    [InlineData(1.9, 0.028716559816001803)]
    [InlineData(10.0, 7.6198530241605269e-24)]
    public void UpperTail_MatchesR(double x, double expected)
    {
        Assert.Equal(expected, StandardNormal.UpperTail(x), expected * 1e-12);
    }

    [Fact]
    public void Cdf_OfQuantile_ReturnsProbability()
    {
        foreach (var p in new[] { 1e-300, 1e-20, 1e-8, 0.001, 0.02, 0.2, 0.5, 0.7, 0.93, 0.9999 })
        {
            var roundTrip = StandardNormal.Cdf(StandardNormal.Quantile(p));
            Assert.True(Math.Abs(roundTrip - p) <= p * 1e-12, $"p = {p}: got {roundTrip}");
        }
    }

    [Fact]
    public void Cdf_Limits_AreExact()
    {
        Assert.Equal(0.5, StandardNormal.Cdf(0));
        Assert.Equal(0.0, StandardNormal.Cdf(double.NegativeInfinity));
        Assert.Equal(1.0, StandardNormal.Cdf(double.PositiveInfinity));
        Assert.Equal(double.NegativeInfinity, StandardNormal.Quantile(0));
        Assert.Equal(double.PositiveInfinity, StandardNormal.Quantile(1));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Quantile_OutsideUnitInterval_Throws(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StandardNormal.Quantile(p));
    }
}
