using GenSafety.Detectors.Coverage;
using GenSafety.Detectors.Randomness;
using GenSafety.Detectors.Tests.TestSupport;

namespace GenSafety.Detectors.Tests.Coverage;

public sealed class B4BCoverageTests
{
    private const int Dimensions = 384;
    private static readonly B4BProjection Projection = new(Dimensions, seed: 1);

    [Fact]
    public void Coverage_UniformVersusOneTopic_SweepingClientCoversFarMore()
    {
        var random = new DeterministicRandom(20);
        var sweeping = new B4BCoverage(Projection);
        var topical = new B4BCoverage(Projection);
        var topic = Vectors.RandomUnit(random, Dimensions);

        for (var i = 0; i < 2000; i++)
        {
            sweeping.Observe(Vectors.RandomUnit(random, Dimensions));
            // Vectors within one topic: cosine to the topic centre about 0.9.
            topical.Observe(Vectors.Around(random, topic, 0.025));
        }

        // 2000 uniform vectors over 4096 buckets fill about 1 - e^(-2000/4096) ≈ 39% of each projection.
        Assert.InRange(sweeping.Coverage, 0.30, 0.45);
        Assert.True(topical.Coverage < sweeping.Coverage / 4, $"topical {topical.Coverage:F3} vs sweeping {sweeping.Coverage:F3}");
    }

    [Fact]
    public void Observe_SameVectorTwice_NewBucketsOnlyTheFirstTime()
    {
        var coverage = new B4BCoverage(Projection);
        var vector = Vectors.RandomUnit(new DeterministicRandom(3), Dimensions);

        Assert.True(coverage.Observe(vector));
        Assert.Equal(B4BProjection.ProjectionCount, coverage.BucketsHit);
        Assert.False(coverage.Observe(vector));
        Assert.Equal(B4BProjection.ProjectionCount / (20.0 * 4096), coverage.Coverage, 12);
    }

    [Fact]
    public void Coverage_Empty_IsZero()
    {
        var coverage = new B4BCoverage(Projection);

        Assert.Equal(0.0, coverage.Coverage);
        Assert.Equal(B4BCoverage.StateSize, coverage.State.Length);
        Assert.Equal(20 * 512, B4BCoverage.StateSize);
    }

    [Fact]
    public void State_SameSeed_IdenticalAcrossInstances()
    {
        var a = Observed(new B4BCoverage(new B4BProjection(Dimensions, 77)), seed: 5, count: 300);
        var b = Observed(new B4BCoverage(new B4BProjection(Dimensions, 77)), seed: 5, count: 300);
        var other = Observed(new B4BCoverage(new B4BProjection(Dimensions, 78)), seed: 5, count: 300);

        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.NotEqual(a.ToArray(), other.ToArray());
    }

    [Fact]
    public void State_RoundTrip_RestoresCoverage()
    {
        var original = Observed(new B4BCoverage(Projection), seed: 6, count: 500);

        var restored = new B4BCoverage(Projection, original.ToArray());

        Assert.Equal(original.BucketsHit, restored.BucketsHit);
        Assert.Equal(original.Coverage, restored.Coverage);
        Assert.Equal(original.State.ToArray(), restored.State.ToArray());
    }

    [Fact]
    public void State_WrongSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => new B4BCoverage(Projection, new byte[100]));
        Assert.Throws<ArgumentException>(() => new B4BCoverage(Projection).UnionWith(new byte[B4BCoverage.StateSize + 1]));
    }

    [Fact]
    public void State_BitLayout_MatchesRedisBitOffsets()
    {
        var vector = Vectors.RandomUnit(new DeterministicRandom(8), Dimensions);
        var coverage = new B4BCoverage(Projection);
        coverage.Observe(vector);
        Span<int> buckets = stackalloc int[B4BProjection.ProjectionCount];
        Projection.ComputeBuckets(vector, buckets);

        var state = coverage.State;
        for (var p = 0; p < buckets.Length; p++)
        {
            // Redis SETBIT key offset 1 sets bit offset (p·4096 + bucket): most significant bit first.
            var offset = (p * 4096) + buckets[p];
            Assert.NotEqual(0, state[offset / 8] & (0x80 >> (offset % 8)));
        }

        Assert.Equal(B4BProjection.ProjectionCount, state.ToArray().Sum(b => System.Numerics.BitOperations.PopCount(b)));
    }

    [Fact]
    public void UnionWith_TwoClients_EqualsOneClientSeeingBoth()
    {
        var a = Observed(new B4BCoverage(Projection), seed: 10, count: 400);
        var b = Observed(new B4BCoverage(Projection), seed: 11, count: 400);
        var both = Observed(Observed(new B4BCoverage(Projection), seed: 10, count: 400), seed: 11, count: 400);

        var union = new B4BCoverage(Projection, a.State);
        Assert.True(union.UnionWith(b));

        Assert.Equal(both.ToArray(), union.ToArray());
        Assert.True(union.Coverage > Math.Max(a.Coverage, b.Coverage));
        Assert.False(union.UnionWith(a));
    }

    [Fact]
    public void UnionWith_DifferentProjection_Throws()
    {
        var a = new B4BCoverage(Projection);
        var b = new B4BCoverage(new B4BProjection(Dimensions, seed: 2));

        Assert.Throws<ArgumentException>(() => a.UnionWith(b));
    }

    private static B4BCoverage Observed(B4BCoverage coverage, int seed, int count)
    {
        var random = new DeterministicRandom((ulong)seed);
        for (var i = 0; i < count; i++)
        {
            coverage.Observe(Vectors.RandomUnit(random, Dimensions));
        }

        return coverage;
    }
}
