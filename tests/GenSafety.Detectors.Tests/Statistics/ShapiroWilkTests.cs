using GenSafety.Detectors.Randomness;
using GenSafety.Detectors.Statistics;

namespace GenSafety.Detectors.Tests.Statistics;

public sealed class ShapiroWilkTests
{
    /// <summary>
    /// W and p-value that R 4.2.2's <c>shapiro.test</c> printed (17 significant digits) for fixed samples; each covers
    /// a branch of AS R94: n = 3 (exact p), n ≤ 5, 6 ≤ n ≤ 11, n ≥ 12, up to n = 5000.
    /// </summary>
    public static TheoryData<string, double[], double, double> RReference => new()
    {
        // Shapiro & Wilk (1965): weights of 11 men, W = 0.79.
        { "weights11", [148, 154, 158, 160, 161, 162, 166, 170, 182, 195, 236], 0.78881469483538735, 0.0067038140565029254 },
        { "n3", [1, 2, 4], 0.96428571428571419, 0.6368868450289632 },
        { "n4", [1, 2, 4, 8], 0.92020267879193995, 0.53808377727496992 },
        { "n5", [2.1, 3.4, 1.9, 5.6, 4.4], 0.93208493960152361, 0.61065590505509537 },
        { "n6", [1, 3, 2, 8, 5, 13], 0.90501414241448896, 0.4044155329200595 },
        { "n7", [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 10], 0.45297098814987957, 4.1356120914394981e-06 },
        // R's datasets::women$weight.
        { "women", [115, 117, 120, 123, 126, 129, 132, 135, 139, 142, 146, 150, 154, 159, 164], 0.96035718052678753, 0.69860547352489777 },
        { "n12", Enumerable.Range(1, 12).Select(i => (double)i * i).ToArray(), 0.91629244147428457, 0.25667346766162569 },
        // exp(seq(0, 3, length.out = 50))
        { "exp50", Enumerable.Range(0, 50).Select(i => Math.Exp(3.0 * i / 49)).ToArray(), 0.86330322897954892, 3.6184122824934398e-05 },
        // sin(1:200)
        { "sin200", Enumerable.Range(1, 200).Select(i => Math.Sin(i)).ToArray(), 0.8976679649339645, 1.7897908466979073e-10 },
        // cos((1:1000)^1.5)
        { "cos1000", Enumerable.Range(1, 1000).Select(i => Math.Cos(Math.Pow(i, 1.5))).ToArray(), 0.90295888793463008, 1.1163285179824392e-24 },
        // (1:5000)/5001: uniform, the largest sample allowed.
        { "unif5000", Enumerable.Range(1, 5000).Select(i => i / 5001.0).ToArray(), 0.95490601989931523, 9.4126815084198069e-37 },
    };

    [Theory]
    [MemberData(nameof(RReference))]
    public void Test_FixedSample_MatchesRShapiroTest(string name, double[] sample, double expectedW, double expectedP)
    {
        var result = ShapiroWilk.Test(sample);

        Assert.Equal(sample.Length, result.SampleSize);
        Assert.True(Math.Abs(result.W - expectedW) < 1e-12, $"{name}: W = {result.W:R}, R says {expectedW:R}");
        Assert.True(Math.Abs(result.PValue - expectedP) <= expectedP * 1e-9, $"{name}: p = {result.PValue:R}, R says {expectedP:R}");
    }

    [Theory]
    [InlineData(100, 0.99956292252754664, 0.99999999999991407)]
    [InlineData(5000, 0.99998892544114315, 1.0)]
    public void Test_NormalScores_WNearOneAndPNearOne(int n, double expectedW, double expectedP)
    {
        // qnorm(ppoints(n)) in R: the expected normal order statistics, as normal as a sample can be.
        var a = n <= 10 ? 0.375 : 0.5;
        var sample = Enumerable.Range(1, n).Select(i => StandardNormal.Quantile((i - a) / (n + 1 - (2 * a)))).ToArray();

        var result = ShapiroWilk.Test(sample);

        Assert.Equal(expectedW, result.W, 1e-12);
        Assert.Equal(expectedP, result.PValue, 1e-12);
    }

    [Fact]
    public void Test_EquallySpacedThree_WIsOneAndPIsOne()
    {
        var result = ShapiroWilk.Test([1.0, 2.0, 3.0]);

        Assert.Equal(1.0, result.W, 1e-14);
        Assert.Equal(1.0, result.PValue, 1e-12);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(100)]
    [InlineData(5000)]
    public void Weights_SumOfSquaresOverBothHalves_IsOne(int n)
    {
        var half = ShapiroWilk.Weights(n);

        Assert.Equal(n / 2, half.Length);
        Assert.Equal(1.0, 2 * half.Sum(a => a * a), 1e-12);
        // The weights fall in magnitude from the extremes inwards.
        for (var i = 1; i < half.Length; i++)
        {
            Assert.True(half[i] > 0 && half[i] < half[i - 1]);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(400)]
    [InlineData(5000)]
    public void CachedWeights_EqualTheComputedOnes(int n)
    {
        Assert.Equal(ShapiroWilk.Weights(n), ShapiroWilk.CachedWeights(n));
        Assert.Same(ShapiroWilk.CachedWeights(n), ShapiroWilk.CachedWeights(n));
    }

    [Fact]
    public void Weights_N11_CloseToShapiroWilkExactTable()
    {
        // Shapiro & Wilk (1965), Table 5, n = 11; Royston's approximation agrees to about 1e-3.
        double[] table = [0.5601, 0.3315, 0.2260, 0.1429, 0.0695];

        var half = ShapiroWilk.Weights(11);

        for (var i = 0; i < table.Length; i++)
        {
            Assert.Equal(table[i], half[i], 0.002);
        }
    }

    [Fact]
    public void Test_ShuffledShiftedAndScaled_SameResult()
    {
        double[] sample = [148, 154, 158, 160, 161, 162, 166, 170, 182, 195, 236];
        var reference = ShapiroWilk.Test(sample);
        var transformed = sample.Reverse().Select(x => (x * 1e-3) - 42.0).ToArray();

        var result = ShapiroWilk.Test(transformed);

        Assert.Equal(reference.W, result.W, 1e-12);
        Assert.Equal(reference.PValue, result.PValue, 1e-10);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(30)]
    public void PValue_NormalSamples_UniformUnderNullHypothesis(int n)
    {
        const int Trials = 20_000;
        var random = new DeterministicRandom((ulong)(20_240_601 + n));
        var sample = new double[n];
        var pValues = new double[Trials];
        for (var t = 0; t < Trials; t++)
        {
            for (var i = 0; i < n; i++)
            {
                sample[i] = 10 + (3 * random.NextGaussian());
            }

            pValues[t] = ShapiroWilk.Test(sample).PValue;
        }

        // Royston's approximation puts 9.4% to 10.6% of p-values in each decile (R, 100,000 samples for n = 8 and 30);
        // with 20,000 trials (standard error 0.2%) every decile lies within 10% ± 1.5%.
        for (var decile = 0; decile < 10; decile++)
        {
            var share = pValues.Count(p => p >= decile / 10.0 && p < (decile + 1) / 10.0) / (double)Trials;
            Assert.InRange(share, 0.085, 0.115);
        }

        Assert.InRange(pValues.Count(p => p < 0.05) / (double)Trials, 0.04, 0.06);
    }

    [Fact]
    public void PValue_ExponentialSamples_RejectsNormality()
    {
        var random = new DeterministicRandom(7);
        var rejected = 0;
        for (var t = 0; t < 200; t++)
        {
            var sample = Enumerable.Range(0, 50).Select(_ => -Math.Log(1 - random.NextDouble())).ToArray();
            var result = ShapiroWilk.Test(sample);
            Assert.InRange(result.W, 0.0, 1.0);
            rejected += result.PValue < 0.01 ? 1 : 0;
        }

        // The test's power against the exponential at n = 50 and α = 0.01 is about 0.99.
        Assert.True(rejected >= 190, $"rejected {rejected} of 200");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5001)]
    public void Test_SampleSizeOutOfRange_Throws(int n)
    {
        var sample = Enumerable.Range(0, n).Select(i => (double)i).ToArray();

        Assert.Throws<ArgumentException>(() => ShapiroWilk.Test(sample));
        Assert.False(ShapiroWilk.TryTest(sample, out _));
    }

    [Fact]
    public void Test_AllValuesEqual_ThrowsAndTryTestReturnsFalse()
    {
        double[] sample = [2.5, 2.5, 2.5, 2.5];

        var error = Assert.Throws<ArgumentException>(() => ShapiroWilk.Test(sample));
        Assert.Contains("equal", error.Message, StringComparison.Ordinal);
        Assert.False(ShapiroWilk.TryTest(sample, out var result));
        Assert.Equal(default, result);
    }

    [Fact]
    public void Test_NotFinite_Throws()
    {
        Assert.Throws<ArgumentException>(() => ShapiroWilk.Test([1, 2, double.NaN, 4]));
        Assert.Throws<ArgumentException>(() => ShapiroWilk.Test([1, 2, double.PositiveInfinity, 4]));
    }
}
