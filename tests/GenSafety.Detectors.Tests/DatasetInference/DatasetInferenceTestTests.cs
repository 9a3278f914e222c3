using GenSafety.Detectors.DatasetInference;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Tests.DatasetInference;

public sealed class DatasetInferenceTestTests
{
    private static readonly string[] Names = ["a", "b", "c", "d", "e"];

    // Rows of 5 Gaussian features; members have feature "a" lowered by `shift` (lower loss) and "c" raised by shift/2.
    private static List<double[]> Rows(int n, double shift, DeterministicRandom random)
        => [.. Enumerable.Range(0, n).Select(_ => new[]
        {
            random.NextGaussian() - shift, random.NextGaussian(), random.NextGaussian() + (shift / 2), random.NextGaussian(), random.NextGaussian(),
        })];

    [Fact]
    public void Members_AreDetected_WithAModerateShift()
    {
        var random = new DeterministicRandom(7);
        var result = DatasetInferenceTest.Run(Rows(100, 0.8, random), Rows(100, 0, random), Names, new DatasetInferenceOptions());
        Assert.True(result.PValue < 1e-4, $"p = {result.PValue}");
        Assert.True(result.EffectSize > 0.5);
        Assert.Contains(result.PValuesBySampleSize, s => s.N == 50);
        Assert.DoesNotContain(result.PValuesBySampleSize, s => s.N > 50);

        // The model learns the direction: a negative weight on "a", positive on "c".
        Assert.True(result.Weights.Single(w => w.Feature == "a").Weight < 0);
        Assert.True(result.Weights.Single(w => w.Feature == "c").Weight > 0);
    }

    [Fact]
    public void SameDistribution_FalsePositiveRate_StaysAtAlpha()
    {
        // 200 independent null pairs: the p-value must be (close to) uniform, so about 5% fall below 0.05.
        var random = new DeterministicRandom(11);
        var significant = 0;
        const int Trials = 200;
        for (var trial = 0; trial < Trials; trial++)
        {
            var result = DatasetInferenceTest.Run(Rows(40, 0, random), Rows(40, 0, random), Names, new DatasetInferenceOptions { Seed = (ulong)trial });
            significant += result.PValue < 0.05 ? 1 : 0;
        }

        // Binomial(200, 0.05): mean 10, P(X > 20) < 0.2%.
        Assert.InRange(significant, 1, 20);
    }

    [Fact]
    public void Run_IsDeterministic_AndRefusesTooFewOrRaggedRows()
    {
        var random = new DeterministicRandom(3);
        var suspect = Rows(30, 0.5, random);
        var heldout = Rows(30, 0, random);
        Assert.Equal(
            DatasetInferenceTest.Run(suspect, heldout, Names, new DatasetInferenceOptions()).PValue,
            DatasetInferenceTest.Run(suspect, heldout, Names, new DatasetInferenceOptions()).PValue);
        Assert.Throws<ArgumentException>(() => DatasetInferenceTest.Run(suspect[..5], heldout, Names, new DatasetInferenceOptions()));
        Assert.Throws<ArgumentException>(() => DatasetInferenceTest.Run(suspect, heldout, Names[..4], new DatasetInferenceOptions()));
    }

    [Fact]
    public void MissingOrConstantFeatures_AreLeftOut()
    {
        var random = new DeterministicRandom(5);
        var suspect = Rows(30, 1, random).Select(r => r.Append(double.NaN).Append(1.0).ToArray()).ToList();
        var heldout = Rows(30, 0, random).Select(r => r.Append(double.NaN).Append(1.0).ToArray()).ToList();
        var result = DatasetInferenceTest.Run(suspect, heldout, [.. Names, "missing", "constant"], new DatasetInferenceOptions());
        Assert.DoesNotContain(result.Weights, w => w.Feature is "missing" or "constant");
        Assert.Equal(5, result.Weights.Count);
    }
}
