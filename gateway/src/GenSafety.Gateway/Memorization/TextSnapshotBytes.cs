using GenSafety.Detectors.Memorization;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// A protected-text index as stored: the snapshot header, the Bloom bit array in chunks and the document attribution
/// map in chunks of the same size (so no stored value exceeds <see cref="ChunkBytes"/>).
/// </summary>
/// <param name="Header">The 64-byte <see cref="ProtectedTextIndexSnapshot"/> header.</param>
/// <param name="BloomChunks">The bit array chunks in order.</param>
/// <param name="AttributionChunks">The serialised attribution map cut into chunks.</param>
public sealed record TextSnapshotBytes(byte[] Header, IReadOnlyList<byte[]> BloomChunks, IReadOnlyList<byte[]> AttributionChunks)
{
    /// <summary>Bytes per stored chunk (1 MiB).</summary>
    public const int ChunkBytes = ProtectedTextIndexSnapshot.DefaultChunkBytes;

    /// <summary>Total stored bytes.</summary>
    public long TotalBytes => Header.Length + BloomChunks.Sum(c => (long)c.Length) + AttributionChunks.Sum(c => (long)c.Length);

    /// <summary>Cuts <paramref name="index"/> into its stored form.</summary>
    public static TextSnapshotBytes Of(ProtectedTextIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var header = ProtectedTextIndexSnapshot.WriteHeader(index, ChunkBytes);
        var bloom = new byte[ProtectedTextIndexSnapshot.ReadHeader(header).ChunkCount][];
        for (var i = 0; i < bloom.Length; i++)
        {
            bloom[i] = ProtectedTextIndexSnapshot.WriteChunk(index, i, ChunkBytes);
        }

        var attribution = index.Attribution.Serialize();
        var pieces = new List<byte[]>((attribution.Length + ChunkBytes - 1) / ChunkBytes);
        for (var offset = 0; offset < attribution.Length; offset += ChunkBytes)
        {
            pieces.Add(attribution.AsSpan(offset, Math.Min(ChunkBytes, attribution.Length - offset)).ToArray());
        }

        return new TextSnapshotBytes(header, bloom, pieces);
    }

    /// <summary>Rebuilds the index.</summary>
    /// <exception cref="InvalidDataException">The parts do not fit together or do not fit <paramref name="options"/>.</exception>
    public ProtectedTextIndex Load(ProtectedTextIndexOptions options)
    {
        var length = AttributionChunks.Sum(c => (long)c.Length);
        if (length > int.MaxValue)
        {
            throw new InvalidDataException("The stored attribution map is too large.");
        }

        var attribution = new byte[length];
        var at = 0;
        foreach (var chunk in AttributionChunks)
        {
            chunk.CopyTo(attribution, at);
            at += chunk.Length;
        }

        return ProtectedTextIndexSnapshot.Load(options, Header, BloomChunks, DocumentAttribution.Deserialize(attribution));
    }
}
