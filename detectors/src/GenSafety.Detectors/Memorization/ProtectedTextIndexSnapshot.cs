using System.Buffers.Binary;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Stores a <see cref="ProtectedTextIndex"/> as a versioned 64-byte header plus its Bloom bit array in chunks (for
/// chunked storage such as Redis strings), and loads it back. The header records everything that must agree for
/// the bits to mean the same thing (n-gram width, hash algorithm, hash count, normaliser fingerprint, size) and a
/// checksum of the bits; a load that disagrees is refused with <see cref="InvalidDataException"/>. The document
/// attribution map travels separately (<see cref="DocumentAttribution.Serialize"/>). Format 3 stores the split-block
/// <see cref="BloomFilter"/>; a format 1 or 2 snapshot (the earlier unblocked and blocked layouts) is converted on
/// load by re-adding the n-gram hashes of its complete attribution map, and refused without one.
/// </summary>
public static class ProtectedTextIndexSnapshot
{
    /// <summary>Header size in bytes.</summary>
    public const int HeaderBytes = 64;

    /// <summary>Default chunk size (1 MiB).</summary>
    public const int DefaultChunkBytes = 1 << 20;

    private const uint Magic = 0x494E5347; // "GSNI" little-endian
    // 3: split-block Bloom layout (one bit per 64-bit lane of one 512-bit block). 1 was the unblocked layout and 2
    // the blocked one (k bits anywhere in the block); neither's bits can be rearranged without the n-grams themselves.
    private const ushort FormatVersion = 3;
    private const ushort UnblockedFormatVersion = 1;
    private const ushort BlockedFormatVersion = 2;
    private const ushort HashVersion = 1;

    /// <summary>The header describing <paramref name="index"/> cut into chunks of <paramref name="chunkBytes"/>.</summary>
    public static byte[] WriteHeader(ProtectedTextIndex index, int chunkBytes = DefaultChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(index);
        var header = new byte[HeaderBytes];
        var span = header.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], HashVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], (ushort)index.NgramWidth);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], (ushort)BloomFilter.HashCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], index.Options.Normalizer.Fingerprint);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], index.Filter.BitCount);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], index.NgramCount);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], index.Version);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], index.DocumentCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[44..], chunkBytes);
        BinaryPrimitives.WriteInt32LittleEndian(span[48..], index.Filter.ChunkCount(chunkBytes));
        BinaryPrimitives.WriteUInt64LittleEndian(span[56..], index.Filter.Checksum());
        return header;
    }

    /// <summary>Chunk <paramref name="chunk"/> of the index's bit array.</summary>
    public static byte[] WriteChunk(ProtectedTextIndex index, int chunk, int chunkBytes = DefaultChunkBytes)
    {
        ArgumentNullException.ThrowIfNull(index);
        return index.Filter.ExportChunk(chunk, chunkBytes);
    }

    /// <summary>Reads a header (to learn the version and chunk count before fetching chunks).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a supported header.</exception>
    public static ProtectedTextIndexSnapshotHeader ReadHeader(ReadOnlySpan<byte> header)
    {
        if (header.Length != HeaderBytes || BinaryPrimitives.ReadUInt32LittleEndian(header) != Magic)
        {
            throw new InvalidDataException("Not a protected-text index header.");
        }

        var format = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        var hash = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        if (format is not (FormatVersion or UnblockedFormatVersion or BlockedFormatVersion) || hash != HashVersion)
        {
            throw new InvalidDataException($"Protected-text index format {format}/hash {hash} is not supported (expected {FormatVersion}/{HashVersion}).");
        }

        return new ProtectedTextIndexSnapshotHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(header[8..]),
            BinaryPrimitives.ReadUInt16LittleEndian(header[10..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[12..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[24..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[32..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[40..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[44..]),
            BinaryPrimitives.ReadInt32LittleEndian(header[48..]),
            BinaryPrimitives.ReadUInt64LittleEndian(header[56..]));
    }

    /// <summary>
    /// Rebuilds an index from its header, all its chunks in order and (optionally) its attribution map. Without the
    /// map, hits rest on the Bloom filter alone and no document is named.
    /// </summary>
    /// <exception cref="InvalidDataException">The snapshot does not fit <paramref name="options"/>, a chunk is missing or wrong, or the checksum differs.</exception>
    public static ProtectedTextIndex Load(
        ProtectedTextIndexOptions options, ReadOnlySpan<byte> header, IReadOnlyList<byte[]> chunks, DocumentAttribution? attribution = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(chunks);
        var h = ReadHeader(header);
        var format = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
        if (format != FormatVersion)
        {
            return ConvertEarlierLayout(options, h, format, attribution);
        }

        if (h.NgramWidth != options.NgramWidth || h.NormalizerFingerprint != options.Normalizer.Fingerprint)
        {
            throw new InvalidDataException(
                $"The stored index was built with n-gram width {h.NgramWidth} and normaliser {h.NormalizerFingerprint:x}; this gateway uses {options.NgramWidth} and {options.Normalizer.Fingerprint:x}.");
        }

        if (h.HashCount != BloomFilter.HashCount || h.BitCount < BloomFilter.BlockBits || h.BitCount % BloomFilter.BlockBits != 0
            || h.BitCount > BloomFilter.MaxBitCount
            || h.ChunkBytes < 8 || h.ChunkBytes % 8 != 0)
        {
            throw new InvalidDataException("The stored index header holds impossible sizes.");
        }

        // Checked before allocating, so a damaged header cannot ask for gigabytes.
        var expectedChunks = (h.BitCount / 8 + h.ChunkBytes - 1) / h.ChunkBytes;
        if (chunks.Count != h.ChunkCount || expectedChunks != h.ChunkCount)
        {
            throw new InvalidDataException($"The stored index has {chunks.Count} chunks; its header says {h.ChunkCount} and its size {expectedChunks}.");
        }

        var filter = new BloomFilter(h.BitCount);

        for (var i = 0; i < chunks.Count; i++)
        {
            filter.ImportChunk(i, chunks[i], h.ChunkBytes);
        }

        if (filter.Checksum() != h.Checksum)
        {
            throw new InvalidDataException("The stored index chunks do not match the header's checksum (a partial or mixed write?).");
        }

        return new ProtectedTextIndex(options, filter, attribution ?? DocumentAttribution.Absent())
        {
            NgramCount = h.NgramCount,
            DocumentCount = h.DocumentCount,
            Version = h.Version,
        };
    }

    // Earlier layouts' bits cannot be rearranged, but a complete attribution map holds the hash of every indexed
    // n-gram, which is all a new filter needs.
    private static ProtectedTextIndex ConvertEarlierLayout(
        ProtectedTextIndexOptions options, ProtectedTextIndexSnapshotHeader h, ushort format, DocumentAttribution? attribution)
    {
        if (h.NgramWidth != options.NgramWidth || h.NormalizerFingerprint != options.Normalizer.Fingerprint)
        {
            throw new InvalidDataException(
                $"The stored index was built with n-gram width {h.NgramWidth} and normaliser {h.NormalizerFingerprint:x}; this gateway uses {options.NgramWidth} and {options.Normalizer.Fingerprint:x}.");
        }

        if (attribution is not { IsComplete: true } || attribution.Count == 0 && h.NgramCount > 0)
        {
            throw new InvalidDataException(
                $"The stored index is format {format} (an earlier Bloom layout), which this version converts only from a complete attribution map, and none came with it; re-add the protected documents to rebuild the index in format {FormatVersion}.");
        }

        var index = new ProtectedTextIndex(options, ProtectedTextIndex.CreateFilter(options), attribution)
        {
            NgramCount = h.NgramCount,
            DocumentCount = h.DocumentCount,
            Version = h.Version,
        };
        foreach (var hash in attribution.NgramHashes)
        {
            index.Filter.Add(hash);
        }

        return index;
    }
}
