using GenSafety.Detectors.Memorization;
using GenSafety.Detectors.Randomness;
using Xunit.Abstractions;

namespace GenSafety.Detectors.Tests.Memorization;

public sealed class BloomFilterTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1e-2)]
    [InlineData(1e-3)]
    [InlineData(1e-4)]
    public void MightContain_AtDesignLoad_MeasuredFalsePositiveRateMatchesTheSizing(double target)
    {
        const int Elements = 200_000;
        const int Queries = 2_000_000;
        var bits = BloomSizing.Bits(Elements, target);
        var filter = new BloomFilter(bits);
        var random = new DeterministicRandom(1);
        for (var i = 0; i < Elements; i++)
        {
            filter.Add(random.NextUInt64());
        }

        var positives = 0;
        for (var i = 0; i < Queries; i++)
        {
            positives += filter.MightContain(random.NextUInt64()) ? 1 : 0;
        }

        var measured = (double)positives / Queries;
        var expected = BloomSizing.FalsePositiveRate(filter.BitCount, Elements);
        output.WriteLine($"p={target:0e0}: {(double)bits / Elements:F2} bits/element, k={BloomFilter.HashCount}, {filter.ByteCount / (Elements / 1e6) / 1e6:F2} MB per million, expected {expected:0.###e0}, measured {measured:0.###e0}");
        Assert.InRange(measured, target * 0.6, target * 1.4);
        Assert.InRange(expected, target * 0.8, target * 1.2);
    }

    [Fact]
    public void MightContain_AddedElements_AlwaysTrue()
    {
        var filter = new BloomFilter(10_000);
        var random = new DeterministicRandom(2);
        var added = Enumerable.Range(0, 700).Select(_ => random.NextUInt64()).ToArray();
        foreach (var hash in added)
        {
            filter.Add(hash);
        }

        Assert.All(added, hash => Assert.True(filter.MightContain(hash)));
    }

    [Theory]
    [InlineData(1e-3, 14.38, 10)]
    [InlineData(1e-6, 28.76, 20)]
    public void BloomSizing_ClassicMatchesTheClosedForm(double p, double bits, int k)
    {
        Assert.Equal(bits, BloomSizing.BitsPerElement(p), 2);
        Assert.Equal(k, BloomSizing.ClassicHashCount(BloomSizing.BitsPerElement(p)));
    }

    // The split-block filter's sizing table (docs/memorization.md), from the Poisson-over-blocks rate.
    [Theory]
    [InlineData(1e-2, 10.11)]
    [InlineData(1e-3, 15.73)]
    [InlineData(1e-4, 23.61)]
    [InlineData(1e-6, 51.88)]
    public void BloomSizing_SplitBlock_NeedsMoreBitsThanClassic(double p, double bits)
    {
        var blocked = BloomSizing.BlockedBitsPerElement(p);
        output.WriteLine($"p={p:0e0}: split-block {blocked:F2} bits/element (k={BloomFilter.HashCount}, {blocked / 8:F2} MB per million), classic {BloomSizing.BitsPerElement(p):F2}");
        Assert.InRange(blocked, bits - 0.02, bits + 0.02);
        Assert.True(BloomSizing.FalsePositiveRate(1_000_000_000, (long)(1_000_000_000 / blocked)) <= p * 1.001);
    }

    [Fact]
    public void MightContain_EveryBitOfAnElementLiesInOneBlock()
    {
        var filter = new BloomFilter(BloomFilter.BlockBits * 1000);
        var random = new DeterministicRandom(4);
        for (var i = 0; i < 200; i++)
        {
            var one = new BloomFilter(BloomFilter.BlockBits * 1000);
            one.Add(random.NextUInt64());
            var set = Enumerable.Range(0, one.ChunkCount(64)).Where(c => one.ExportChunk(c, 64).Any(b => b != 0)).ToArray();
            var block = Assert.Single(set);
            // One bit in each 64-bit lane of the block.
            var words = Enumerable.Range(0, 8).Select(w => BitConverter.ToUInt64(one.ExportChunk(block, 64), w * 8)).ToArray();
            Assert.All(words, w => Assert.Equal(1, System.Numerics.BitOperations.PopCount(w)));
            filter.UnionWith(one);
        }

        Assert.InRange(filter.FillRatio, 200 * 7.5 / filter.BitCount, 200 * 8.0 / filter.BitCount);
    }

    [Fact]
    public void ExportImport_ChunksRoundTripAndWrongLengthsAreRefused()
    {
        var filter = new BloomFilter(100_000);
        var random = new DeterministicRandom(3);
        for (var i = 0; i < 5000; i++)
        {
            filter.Add(random.NextUInt64());
        }

        var copy = new BloomFilter(100_000);
        var chunks = filter.ChunkCount(4096);
        Assert.Equal(4, chunks);
        for (var i = 0; i < chunks; i++)
        {
            copy.ImportChunk(i, filter.ExportChunk(i, 4096), 4096);
        }

        Assert.Equal(filter.Checksum(), copy.Checksum());
        Assert.Throws<InvalidDataException>(() => copy.ImportChunk(0, new byte[8], 4096));
        Assert.Throws<ArgumentOutOfRangeException>(() => filter.ExportChunk(4, 4096));
        Assert.Throws<ArgumentOutOfRangeException>(() => filter.ChunkCount(100));
    }
}
