using GenSafety.Detectors.Extraction;
using GenSafety.Detectors.Randomness;
using GenSafety.Detectors.Tests.TestSupport;

namespace GenSafety.Detectors.Tests.Extraction;

public sealed class VectorCodecTests
{
    [Fact]
    public void Reduce_Projection_KeepsDistancesApproximately()
    {
        var codec = new VectorCodec(256);
        var vectors = SyntheticTraffic.Embed(SyntheticTraffic.ChatClient(1, 200));
        var reduced = vectors.Select(v => Reduce(codec, v)).ToList();
        var errors = new List<double>();

        for (var i = 0; i + 1 < vectors.Count; i += 2)
        {
            var original = Distance(vectors[i], vectors[i + 1]);
            errors.Add(Math.Abs(Distance(reduced[i], reduced[i + 1]) - original) / original);
        }

        // Johnson–Lindenstrauss at m = 128: relative errors of the order of √(2/m)/2 ≈ 6%.
        Assert.All(reduced, r => Assert.Equal(1.0, Vectors.Norm(r), 5));
        Assert.True(errors.Average() < 0.08, $"mean relative error {errors.Average():F3}");
        Assert.True(errors.Max() < 0.3, $"max relative error {errors.Max():F3}");
    }

    [Fact]
    public void Reduce_EqualDimensions_NormalisesWithoutProjecting()
    {
        var codec = new VectorCodec(8, 8);
        float[] vector = [3, 4, 0, 0, 0, 0, 0, 0];

        Assert.Equal([0.6f, 0.8f, 0, 0, 0, 0, 0, 0], Reduce(codec, vector));
        Assert.Equal(new float[8], Reduce(codec, new float[8]));
    }

    [Fact]
    public void Reduce_SeedFixesTheProjection()
    {
        var vector = Vectors.RandomUnit(new DeterministicRandom(2), 256);

        Assert.Equal(Reduce(new VectorCodec(256, 64, 5), vector), Reduce(new VectorCodec(256, 64, 5), vector));
        Assert.NotEqual(Reduce(new VectorCodec(256, 64, 5), vector), Reduce(new VectorCodec(256, 64, 6), vector));
    }

    [Fact]
    public void Reduce_BadInput_Throws()
    {
        var codec = new VectorCodec(16, 8);
        var nan = new float[16];
        nan[3] = float.NaN;

        Assert.Throws<ArgumentException>(() => Reduce(codec, new float[15]));
        Assert.Throws<ArgumentException>(() => Reduce(codec, nan));
        Assert.Throws<ArgumentException>(() => codec.Reduce(new float[16], new float[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorCodec(16, 32));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorCodec(4, 4));
    }

    [Fact]
    public void Encode_QuantisedDistances_WithinAThousandth()
    {
        var codec = new VectorCodec(256);
        var random = new DeterministicRandom(3);
        var set = new QuantizedVectorSet(2, codec.StoredDimensions);
        var code = new sbyte[codec.StoredDimensions];
        for (var trial = 0; trial < 200; trial++)
        {
            var a = Vectors.RandomUnit(random, 256);
            var b = trial % 2 == 0 ? Vectors.RandomUnit(random, 256) : Vectors.Around(random, a, 0.01);
            var slotA = set.Add(codec.Encode(a, code));
            var slotB = set.Add(codec.Encode(b, code));

            var exact = Distance(Reduce(codec, a), Reduce(codec, b));
            var quantised = Math.Sqrt(set.SquaredDistance(slotA, slotB));

            Assert.Equal(exact, quantised, 0.003);
            Assert.Equal(set.SquaredDistance(slotA, slotB), set.SquaredDistance(slotB, slotA));
        }
    }

    [Fact]
    public void Encode_Memoised_EqualsTheUncachedEncodingForRepeatsCollisionsAndEvictions()
    {
        var codec = new VectorCodec(256);
        var random = new DeterministicRandom(5);
        // More distinct vectors than the memo has slots, each met several times in a shuffled order, and near-copies
        // that differ in one value or in the sign of a zero: a hit must never return another vector's code.
        var distinct = Enumerable.Range(0, 1500).Select(_ => Vectors.RandomUnit(random, 256)).ToList();
        var nearCopy = (float[])distinct[0].Clone();
        nearCopy[17] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(nearCopy[17]) + 1);
        var zeroed = (float[])distinct[1].Clone();
        zeroed[3] = 0f;
        var negativeZero = (float[])zeroed.Clone();
        negativeZero[3] = -0f;
        distinct.AddRange([nearCopy, zeroed, negativeZero]);
        var order = Enumerable.Range(0, 6000).Select(i => i < distinct.Count ? i : random.NextInt(distinct.Count)).ToList();
        var memoised = new sbyte[codec.StoredDimensions];
        var uncached = new sbyte[codec.StoredDimensions];

        foreach (var i in order.Concat(order))
        {
            var hit = codec.Encode(distinct[i], memoised);
            var expected = codec.EncodeUncached(distinct[i], uncached);

            Assert.Equal(expected.Scale, hit.Scale);
            Assert.Equal(expected.SquaredCodeNorm, hit.SquaredCodeNorm);
            Assert.True(expected.Code.SequenceEqual(hit.Code), $"vector {i}");
        }
    }

    [Fact]
    public void Encode_Memoised_BadInputStillThrows()
    {
        var codec = new VectorCodec(256);
        var good = Vectors.RandomUnit(new DeterministicRandom(6), 256);
        var code = new sbyte[codec.StoredDimensions];
        codec.Encode(good, code);
        var bad = (float[])good.Clone();
        bad[0] = float.NaN;

        Assert.Throws<ArgumentException>(() => codec.Encode(bad, code));
        Assert.Throws<ArgumentException>(() => codec.Encode(good.AsSpan(0, 255), code));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(130)]
    [InlineData(1024)]
    public void Dot_MatchesTheScalarSum(int length)
    {
        var random = new DeterministicRandom((ulong)length);
        var a = Enumerable.Range(0, length).Select(_ => (sbyte)(random.NextInt(256) - 128)).ToArray();
        var b = Enumerable.Range(0, length).Select(_ => (sbyte)(random.NextInt(256) - 128)).ToArray();

        Assert.Equal(a.Zip(b, (x, y) => x * y).Sum(), QuantizedMath.Dot(a, b));
    }

    private static float[] Reduce(VectorCodec codec, float[] vector)
    {
        var reduced = new float[codec.StoredDimensions];
        codec.Reduce(vector, reduced);
        return reduced;
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());
}
