using GenSafety.Gateway.Enforcement.ProofOfWork;

namespace GenSafety.Gateway.Tests.Enforcement.ProofOfWork;

public sealed class DifficultyCalibrationTests
{
    private static readonly DifficultyCalibration Paper = DifficultyCalibration.FromOptions(new ProofOfWorkOptions());

    [Fact]
    public void PaperFit_SlopeAndIntercept_AsComputedByHand()
    {
        // Least squares over (log10 0.24, 16), (log10 2.93, 20), (log10 23.2, 24), (log10 2948, 32).
        Assert.Equal(3.937, Paper.Slope, 2);
        Assert.Equal(18.39, Paper.Intercept, 1);
    }

    [Theory]
    [InlineData(16, 0.24)]
    [InlineData(20, 2.93)]
    [InlineData(24, 23.2)]
    [InlineData(32, 2948)]
    public void BitsForSeconds_PaperPoints_WithinOneBit(int bits, double seconds) =>
        Assert.InRange(Paper.BitsForSeconds(seconds), bits - 1.0, bits + 1.0);

    [Theory]
    [InlineData(0.001)]
    [InlineData(0.1)]
    [InlineData(1)]
    [InlineData(23.2)]
    [InlineData(2948)]
    public void SecondsForBits_InvertsBitsForSeconds(double seconds) =>
        Assert.Equal(seconds, Paper.SecondsForBits(Paper.BitsForSeconds(seconds)), seconds * 1e-9);

    [Fact]
    public void BitsForSeconds_IsStrictlyIncreasing()
    {
        double previous = double.NegativeInfinity;
        for (double s = 0.01; s < 5000; s *= 1.5)
        {
            double bits = Paper.BitsForSeconds(s);
            Assert.True(bits > previous);
            previous = bits;
        }
    }

    [Theory]
    [InlineData(-1, 0.1)]
    [InlineData(0, 0.1)]
    [InlineData(0.5, 17.17)]
    [InlineData(1, 2948)]
    [InlineData(7, 2948)]
    [InlineData(double.NaN, 2948)]
    public void TargetTimeForRisk_IsGeometricBetweenClamps(double risk, double expectedSeconds) =>
        Assert.Equal(expectedSeconds, Paper.TargetTimeForRisk(risk).TotalSeconds, 0.01);

    [Theory]
    [InlineData(0, 14)]
    [InlineData(0.25, 19)]
    [InlineData(0.5, 23)]
    [InlineData(0.75, 28)]
    [InlineData(1, 28)]
    public void ForRisk_PaperTable(double risk, int expectedBits) =>
        Assert.Equal(expectedBits, Paper.ForRisk(risk));

    [Fact]
    public void ForRisk_IsMonotonicAndClamped()
    {
        int previous = 0;
        for (double risk = 0; risk <= 1.0001; risk += 0.01)
        {
            int bits = Paper.ForRisk(risk);
            Assert.InRange(bits, Paper.MinBits, Paper.MaxBits);
            Assert.True(bits >= previous);
            previous = bits;
        }
    }

    [Fact]
    public void ForRisk_LowerClampBelowMinBitsTime_Risk0IsMinBitsAndRisk1IsMaxBits()
    {
        // 1 ms maps to ~6.6 bits on the paper's line, below MinBits; 2,948 s to ~32, above MaxBits.
        var calibration = new DifficultyCalibration(DifficultyCalibration.PaperPoints, 8, 28, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(2948));

        Assert.Equal(8, calibration.ForRisk(0));
        Assert.Equal(28, calibration.ForRisk(1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(60)]
    [InlineData(3600)]
    public void BenignSchedule_TotalWorkNeverExceedsBudget(double budgetSeconds)
    {
        TimeSpan budget = TimeSpan.FromSeconds(budgetSeconds);
        double previousTotal = 0;
        for (int n = 1; n <= 64; n++)
        {
            double total = Paper.BenignTotalSeconds(budget, n);
            Assert.True(total >= previousTotal);
            // Budget plus work stays within 2 x budget.
            Assert.True(budgetSeconds + total <= 2 * budgetSeconds, $"n={n}: {total} s of work on a {budgetSeconds} s budget");
            previousTotal = total;
        }
    }

    [Fact]
    public void BenignBits_HalvesTargetEachTime_AndStopsBelowMinBits()
    {
        TimeSpan budget = TimeSpan.FromSeconds(600);
        int[] bits = [.. Enumerable.Range(0, 20).Select(k => Paper.BenignBits(budget, k))];

        // 300 s → floor(18.39 + 3.94·log10 300) = 28, then each halving lowers the target by ~1.19 bits.
        Assert.Equal(28, bits[0]);
        Assert.True(bits.Zip(bits.Skip(1)).All(p => p.First >= p.Second));
        Assert.All(bits, b => Assert.True(b == 0 || b >= Paper.MinBits));
        Assert.Equal(0, bits[^1]);
        for (int k = 0; k < bits.Length; k++)
        {
            if (bits[k] > 0)
            {
                Assert.True(Paper.SecondsForBits(bits[k]) <= 600 * Math.Pow(0.5, k + 1));
            }
        }
    }

    [Theory]
    [InlineData(new[] { 16 }, new[] { 0.24 })]
    [InlineData(new[] { 16, 20 }, new[] { 1.0, 1.0 })]
    [InlineData(new[] { 16, 20 }, new[] { 2.0, 1.0 })]
    [InlineData(new[] { 16, 0 }, new[] { 0.24, 2.93 })]
    [InlineData(new[] { 16, 20 }, new[] { 0.24, -1.0 })]
    public void CheckPoints_Unfittable_ReportsProblem(int[] bits, double[] seconds)
    {
        CalibrationPoint[] points = [.. bits.Zip(seconds, (b, s) => new CalibrationPoint(b, s))];

        Assert.NotNull(DifficultyCalibration.CheckPoints(points));
        Assert.Throws<ArgumentException>(() => new DifficultyCalibration(points, 8, 28, TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(10)));
    }
}
