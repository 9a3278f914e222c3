using GenSafety.Detectors.Coverage;
using GenSafety.Detectors.Randomness;
using GenSafety.Detectors.Tests.TestSupport;

namespace GenSafety.Detectors.Tests.Coverage;

public sealed class B4BProjectionTests
{
    private readonly B4BProjection _projection = new(64, seed: 3);

    [Fact]
    public void ComputeBuckets_OppositeVectors_ComplementaryCodes()
    {
        // sign(-v·P) flips every bit (no coordinate is exactly zero for a random vector).
        var v = Vectors.RandomUnit(new DeterministicRandom(1), 64);
        Span<int> buckets = stackalloc int[20];
        Span<int> opposite = stackalloc int[20];

        _projection.ComputeBuckets(v, buckets);
        _projection.ComputeBuckets(v.Select(x => -x).ToArray(), opposite);

        for (var p = 0; p < 20; p++)
        {
            Assert.InRange(buckets[p], 0, 4095);
            Assert.Equal(4095, buckets[p] ^ opposite[p]);
        }
    }

    [Fact]
    public void ComputeBuckets_ScaledVector_SameBuckets()
    {
        var v = Vectors.RandomUnit(new DeterministicRandom(2), 64);
        Span<int> buckets = stackalloc int[20];
        Span<int> scaled = stackalloc int[20];

        _projection.ComputeBuckets(v, buckets);
        _projection.ComputeBuckets(v.Select(x => x * 7.5f).ToArray(), scaled);

        Assert.True(buckets.SequenceEqual(scaled));
    }

    [Fact]
    public void ComputeBuckets_RandomVectors_BitsAreBalanced()
    {
        var random = new DeterministicRandom(4);
        Span<int> buckets = stackalloc int[20];
        var ones = new int[12];
        for (var i = 0; i < 2000; i++)
        {
            _projection.ComputeBuckets(Vectors.RandomUnit(random, 64), buckets);
            for (var b = 0; b < 12; b++)
            {
                ones[b] += (buckets[0] >> b) & 1;
            }
        }

        Assert.All(ones, count => Assert.InRange(count, 850, 1150));
    }

    [Fact]
    public void ComputeBuckets_WrongLengths_Throw()
    {
        Assert.Throws<ArgumentException>(() => _projection.ComputeBuckets(new float[63], new int[20]));
        Assert.Throws<ArgumentException>(() => _projection.ComputeBuckets(new float[64], new int[19]));
    }
}
