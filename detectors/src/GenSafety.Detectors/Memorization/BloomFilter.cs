using System.Buffers.Binary;
using System.Numerics;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// A blocked Bloom filter over 64-bit element hashes (Putze, Sanders and Singler, "Cache-, hash- and
/// space-efficient Bloom filters", 2007): the element hash picks one 512-bit block (a 64-byte cache line) by a
/// multiply-shift, and all k bits lie inside it, so a lookup costs one cache miss however many bits it tests. The
/// positions inside the block are 9-bit slices of an odd multiple of the hash, then of re-mixes (seven per 64 bits). Blocks fill
/// unevenly, so the same false-positive rate needs a few more bits than a classic filter (<see cref="BloomSizing"/>).
/// The bit array is exported and imported in fixed-size chunks of little-endian 64-bit words (for chunked storage
/// such as Redis strings). Not thread-safe for writers; concurrent readers are fine once writes have stopped.
/// </summary>
public sealed class BloomFilter
{
    /// <summary>Bits per block: one 64-byte cache line.</summary>
    public const int BlockBits = 512;

    private const int WordsPerBlock = BlockBits / 64;
    private const ulong SecondHashSalt = 0x8CB92BA72F3D8DD7UL;
    private const int PositionsPerMix = 7;

    private readonly ulong[] _words;

    private readonly ulong _blockCount;

    /// <summary>Creates an empty filter of <paramref name="bitCount"/> bits (rounded up to a multiple of <see cref="BlockBits"/>) and <paramref name="hashCount"/> hashes.</summary>
    public BloomFilter(long bitCount, int hashCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitCount, 64);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitCount, MaxBitCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(hashCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hashCount, 64);
        _blockCount = (ulong)((bitCount + BlockBits - 1) / BlockBits);
        _words = new ulong[_blockCount * WordsPerBlock];
        BitCount = _words.LongLength * 64;
        HashCount = hashCount;
    }

    /// <summary>The largest bit count a filter can have (whole blocks within the largest array).</summary>
    public static long MaxBitCount => (long)Array.MaxLength / WordsPerBlock * BlockBits;

    /// <summary>Number of bits m.</summary>
    public long BitCount { get; }

    /// <summary>Number of hash functions k.</summary>
    public int HashCount { get; }

    /// <summary>Bytes of the bit array.</summary>
    public long ByteCount => _words.LongLength * sizeof(ulong);

    /// <summary>Share of bits set (the false-positive rate is about this to the power k).</summary>
    public double FillRatio
    {
        get
        {
            long set = 0;
            foreach (var word in _words)
            {
                set += BitOperations.PopCount(word);
            }

            return (double)set / BitCount;
        }
    }

    /// <summary>Adds the element with hash <paramref name="hash"/>.</summary>
    public void Add(ulong hash)
    {
        var words = _words.AsSpan(Block(hash), WordsPerBlock);
        var bits = 0UL;
        for (var i = 0; i < HashCount; i++)
        {
            bits = i % PositionsPerMix == 0 ? Positions(hash, i) : bits;
            words[(int)(bits >> 6) & 7] |= 1UL << (int)bits;
            bits >>= 9;
        }
    }

    /// <summary>False when the element was certainly never added; true when it was, or by a false positive.</summary>
    public bool MightContain(ulong hash)
    {
        // The first bit decides most lookups on a sparse filter: tested here, small enough to inline into a caller's
        // loop; the rest only when it is set.
        var first = Block(hash);
        var bits = Positions(hash, 0);
        return (_words[first + ((int)(bits >> 6) & 7)] & (1UL << (int)bits)) != 0 && OtherBitsSet(first, hash, bits >> 9);
    }

    private bool OtherBitsSet(int first, ulong hash, ulong bits)
    {
        var words = _words.AsSpan(first, WordsPerBlock);
        for (var i = 1; i < HashCount; i++)
        {
            bits = i % PositionsPerMix == 0 ? Positions(hash, i) : bits;
            if ((words[(int)(bits >> 6) & 7] & (1UL << (int)bits)) == 0)
            {
                return false;
            }

            bits >>= 9;
        }

        return true;
    }

    /// <summary>Number of chunks of <paramref name="chunkBytes"/> bytes (a multiple of 8) the bit array exports to.</summary>
    public int ChunkCount(int chunkBytes)
    {
        CheckChunkBytes(chunkBytes);
        return (int)((ByteCount + chunkBytes - 1) / chunkBytes);
    }

    /// <summary>Chunk <paramref name="index"/> of the bit array (the last one may be shorter).</summary>
    public byte[] ExportChunk(int index, int chunkBytes)
    {
        var (first, count) = ChunkWords(index, chunkBytes);
        var bytes = new byte[count * sizeof(ulong)];
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)), _words[first + i]);
        }

        return bytes;
    }

    /// <summary>Overwrites chunk <paramref name="index"/> with <paramref name="chunk"/>, as exported by <see cref="ExportChunk"/>.</summary>
    /// <exception cref="InvalidDataException">The chunk has the wrong length.</exception>
    public void ImportChunk(int index, ReadOnlySpan<byte> chunk, int chunkBytes)
    {
        var (first, count) = ChunkWords(index, chunkBytes);
        if (chunk.Length != count * sizeof(ulong))
        {
            throw new InvalidDataException($"Bloom filter chunk {index} holds {chunk.Length} bytes; {count * sizeof(ulong)} expected.");
        }

        for (var i = 0; i < count; i++)
        {
            _words[first + i] = BinaryPrimitives.ReadUInt64LittleEndian(chunk[(i * sizeof(ulong))..]);
        }
    }

    /// <summary>A 64-bit checksum of the whole bit array (to verify a reload).</summary>
    public ulong Checksum()
    {
        var sum = StableHash.FnvOffset ^ (ulong)BitCount ^ ((ulong)HashCount << 56);
        for (var i = 0; i < _words.Length; i++)
        {
            sum = StableHash.Mix(sum ^ _words[i]) + (ulong)i;
        }

        return sum;
    }

    /// <summary>Sets every bit that is set in <paramref name="other"/> (same size and hash count): the union of both sets.</summary>
    public void UnionWith(BloomFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.BitCount != BitCount || other.HashCount != HashCount)
        {
            throw new ArgumentException("Only filters of the same size and hash count can be united.", nameof(other));
        }

        for (var i = 0; i < _words.Length; i++)
        {
            _words[i] |= other._words[i];
        }
    }

    // Index of the first word of the element's block.
    private int Block(ulong hash) => (int)Math.BigMul(hash, _blockCount, out _) * WordsPerBlock;

    // Bit positions inside the block are successive 9-bit slices, seven per 64 bits, independent of the block
    // choice (in-block double hashing correlated too much for a 512-bit range).
    // The first seven come from one multiplication: bit j of the product depends on the hash's bits 0..j, which
    // the block choice (its top bits) does not fix; later ones from a full re-mix.
    private static ulong Positions(ulong hash, int i) =>
        i == 0 ? hash * SecondHashSalt : StableHash.Mix(hash ^ ((ulong)(i + 1) * SecondHashSalt));

    private static void CheckChunkBytes(int chunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, sizeof(ulong));
        if (chunkBytes % sizeof(ulong) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, "The chunk size must be a multiple of 8 bytes.");
        }
    }

    private (int First, int Count) ChunkWords(int index, int chunkBytes)
    {
        var chunks = ChunkCount(chunkBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, chunks);
        var wordsPerChunk = chunkBytes / sizeof(ulong);
        var first = (int)((long)index * wordsPerChunk);
        return (first, Math.Min(wordsPerChunk, _words.Length - first));
    }
}
