using GenSafety.Traffic.Linear;

namespace GenSafety.Traffic.Tests.Linear;

public sealed class HiddenSizeEstimateTests
{
    [Fact]
    public void FromSpectrum_SeveralPrecisionFloors_TakesTheFirstCliff()
    {
        // Signal, a float32 floor, a double floor, exact zeros: the rank is the first cliff, not the largest.
        double[] values = [120, 40, 9, 3, 2e-5, 1e-5, 3e-14, 1e-14, 0, 0];

        var estimate = HiddenSizeEstimate.FromSpectrum(values, 10, 10);

        Assert.True(estimate.Conclusive);
        Assert.Equal(4, estimate.HiddenSize);
        Assert.Equal(3 / 2e-5, estimate.GapRatio, 6);
    }

    [Fact]
    public void FromSpectrum_NoCliff_IsInconclusiveAndReportsTheNumericalRank()
    {
        // Quantized logprobs: a noisy spectrum that decays without a cliff.
        double[] values = [50, 30, 20, 14, 9, 6, 4, 2.5];

        var estimate = HiddenSizeEstimate.FromSpectrum(values, 8, 20);

        Assert.False(estimate.Conclusive);
        Assert.Equal(8, estimate.HiddenSize);
        Assert.Equal(50 / 30.0, estimate.GapRatio, 9);
    }

    [Fact]
    public void FromRows_TooFewRows_IsInconclusive()
    {
        var estimate = HiddenSizeEstimate.FromRows([[1.0, 2.0, 3.0]]);

        Assert.False(estimate.Conclusive);
        Assert.Equal(0, estimate.HiddenSize);
    }
}
