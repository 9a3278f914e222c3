using GenSafety.Detectors.Memorization;

namespace GenSafety.Detectors.Tests.Memorization;

public sealed class ProtectedTextIndexSnapshotTests
{
    private static (ProtectedTextIndex Index, byte[] Header, List<byte[]> Chunks) Stored()
    {
        var index = ProtectedTextIndexTests.Build(5, 2000);
        var header = ProtectedTextIndexSnapshot.WriteHeader(index, 8192);
        var chunks = Enumerable.Range(0, ProtectedTextIndexSnapshot.ReadHeader(header).ChunkCount)
            .Select(i => ProtectedTextIndexSnapshot.WriteChunk(index, i, 8192)).ToList();
        return (index, header, chunks);
    }

    [Fact]
    public void Load_RoundTrip_MatchesLikeTheOriginal()
    {
        var (index, header, chunks) = Stored();
        var attribution = DocumentAttribution.Deserialize(index.Attribution.Serialize());

        var loaded = ProtectedTextIndexSnapshot.Load(index.Options, header, chunks, attribution);
        var bare = ProtectedTextIndexSnapshot.Load(index.Options, header, chunks);

        var copy = ProseCorpus.Document(3, 2000).Substring(300, 400);
        Assert.Equal(index.FindLongestMatch(copy), loaded.FindLongestMatch(copy));
        Assert.True(bare.FindLongestMatch(copy).ExceedsThreshold);
        Assert.Null(bare.FindLongestMatch(copy).DocumentId);
        Assert.Equal((index.Version, index.NgramCount, index.DocumentCount), (loaded.Version, loaded.NgramCount, loaded.DocumentCount));
        Assert.Equal(5, ProtectedTextIndexSnapshot.ReadHeader(header).Version);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Load_EarlierLayout_ConvertsFromTheAttributionMapOrIsRefused(byte format)
    {
        var (index, header, chunks) = Stored();
        Assert.Equal(3, BitConverter.ToUInt16(header, 4));
        var old = (byte[])header.Clone();
        old[4] = format;
        var attribution = DocumentAttribution.Deserialize(index.Attribution.Serialize());

        var converted = ProtectedTextIndexSnapshot.Load(index.Options, old, chunks, attribution);
        var copy = ProseCorpus.Document(3, 2000).Substring(300, 400);
        Assert.Equal(index.FindLongestMatch(copy), converted.FindLongestMatch(copy));
        Assert.Equal(index.Filter.Checksum(), converted.Filter.Checksum());
        Assert.Equal((index.Version, index.NgramCount, index.DocumentCount), (converted.Version, converted.NgramCount, converted.DocumentCount));

        var error = Assert.Throws<InvalidDataException>(() => ProtectedTextIndexSnapshot.Load(index.Options, old, chunks));
        Assert.Contains($"format {format}", error.Message, StringComparison.Ordinal);
        Assert.Contains("re-add the protected documents", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptOrMismatched_IsRefused()
    {
        var (index, header, chunks) = Stored();
        var flipped = chunks.Select(c => (byte[])c.Clone()).ToList();
        flipped[1][17] ^= 4;
        Assert.Throws<InvalidDataException>(() => ProtectedTextIndexSnapshot.Load(index.Options, header, flipped));
        Assert.Throws<InvalidDataException>(() => ProtectedTextIndexSnapshot.Load(index.Options, header, chunks.Take(chunks.Count - 1).ToList()));
        Assert.Throws<InvalidDataException>(() => ProtectedTextIndexSnapshot.Load(
            new ProtectedTextIndexOptions { NgramWidth = 40, StopCharacters = 150 }, header, chunks));
        Assert.Throws<InvalidDataException>(() => ProtectedTextIndexSnapshot.Load(
            new ProtectedTextIndexOptions { Normalizer = new TextNormalizerOptions { CanonicalizeIdentifiers = true } }, header, chunks));
        Assert.Throws<InvalidDataException>(() => ProtectedTextIndexSnapshot.ReadHeader(header.AsSpan(0, 10)));
        var future = (byte[])header.Clone();
        future[4] = 9;
        Assert.Throws<InvalidDataException>(() => ProtectedTextIndexSnapshot.ReadHeader(future));
    }
}
