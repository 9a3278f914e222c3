using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Tests.Randomness;

public sealed class DeterministicRandomTests
{
    [Fact]
    public void NextUInt64_SameSeed_SameSequence()
    {
        var a = new DeterministicRandom(123);
        var b = new DeterministicRandom(123);
        var c = new DeterministicRandom(124);

        var first = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 100).Select(_ => b.NextUInt64()));
        Assert.NotEqual(first, Enumerable.Range(0, 100).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void NextUInt64_Seed42_StableAcrossVersions()
    {
        // Projections derived from a seed must never change: replicas and stored state rely on it. The expected values
        // come from an independent (Python) implementation of the reference SplitMix64 and xoshiro256** algorithms.
        var random = new DeterministicRandom(42);

        Assert.Equal(new[] { 0x15780B2E0C2EC716UL, 0x6104D9866D113A7EUL }, new[] { random.NextUInt64(), random.NextUInt64() });
    }

    [Fact]
    public void NextGaussian_Moments_AreStandardNormal()
    {
        var random = new DeterministicRandom(5);
        var values = Enumerable.Range(0, 200_000).Select(_ => random.NextGaussian()).ToArray();

        var mean = values.Average();
        var variance = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
        Assert.InRange(values.Count(v => Math.Abs(v) > 1.959963984540054) / (double)values.Length, 0.047, 0.053);
    }

    [Fact]
    public void NextDouble_InUnitInterval()
    {
        var random = new DeterministicRandom(9);
        var values = Enumerable.Range(0, 100_000).Select(_ => random.NextDouble()).ToArray();

        Assert.All(values, v => Assert.InRange(v, 0.0, 0.9999999999999999));
        Assert.InRange(values.Average(), 0.495, 0.505);
    }
}
