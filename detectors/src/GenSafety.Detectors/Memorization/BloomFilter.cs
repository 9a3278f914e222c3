using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// A split-block Bloom filter over 64-bit element hashes (the blocked filter of Putze, Sanders and Singler, "Cache-,
/// hash- and space-efficient Bloom filters", 2007, in the split form of Parquet's and Impala's filters): the element
/// hash picks one 512-bit block (a 64-byte cache line) by a multiply-shift, and the element sets one bit in each of
/// the block's eight 64-bit lanes, at 6-bit slices of an odd multiple of the hash. A lookup is one cache line and,
/// with AVX2, two vector shifts and one vector test, without a branch per bit. Blocks fill unevenly and each lane is
/// a small filter of its own, so the same false-positive rate needs a few more bits than a classic filter
/// (<see cref="BloomSizing"/>). The bit array is exported and imported in fixed-size chunks of little-endian 64-bit
/// words (for chunked storage such as Redis strings). Not thread-safe for writers; concurrent readers are fine once
/// writes have stopped.
/// </summary>
public sealed class BloomFilter
{
    /// <summary>Bits per block: one 64-byte cache line.</summary>
    public const int BlockBits = 512;

    /// <summary>Bits each element sets (one per 64-bit lane of its block): the filter's k.</summary>
    public const int HashCount = 8;

    private const int WordsPerBlock = BlockBits / 64;
    private const ulong SecondHashSalt = 0x8CB92BA72F3D8DD7UL;

    // Lane i takes bits 16 + 6i .. 21 + 6i of the product: the product's high bits, which depend on most of the hash.
    private static readonly Vector256<ulong> LowLaneShifts = Vector256.Create(16UL, 22, 28, 34);
    private static readonly Vector256<ulong> HighLaneShifts = Vector256.Create(40UL, 46, 52, 58);

    private readonly ulong[] _words;

    private readonly ulong _blockCount;

    /// <summary>Creates an empty filter of <paramref name="bitCount"/> bits (rounded up to a multiple of <see cref="BlockBits"/>).</summary>
    public BloomFilter(long bitCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitCount, 64);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitCount, MaxBitCount);
        _blockCount = (ulong)((bitCount + BlockBits - 1) / BlockBits);
        _words = new ulong[_blockCount * WordsPerBlock];
        BitCount = _words.LongLength * 64;
    }

    /// <summary>The largest bit count a filter can have (whole blocks within the largest array).</summary>
    public static long MaxBitCount => (long)Array.MaxLength / WordsPerBlock * BlockBits;

    /// <summary>Number of bits m.</summary>
    public long BitCount { get; }

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
        var product = hash * SecondHashSalt;
        for (var lane = 0; lane < WordsPerBlock; lane++)
        {
            words[lane] |= LaneBit(product, lane);
        }
    }

    /// <summary>False when the element was certainly never added; true when it was, or by a false positive.</summary>
    public bool MightContain(ulong hash)
    {
        var first = Block(hash);
        var product = hash * SecondHashSalt;
        ref var block = ref _words[first];
        // No early exit on the first lane: on a filter at design load (≈ 40 % of bits set) that branch is
        // mispredicted so often that the lookup runs at less than half the speed of the branch-free test.
        if (Avx2.IsSupported)
        {
            var spread = Vector256.Create(product);
            var low = Avx2.ShiftLeftLogicalVariable(Vector256<ulong>.One, Avx2.ShiftRightLogicalVariable(spread, LowLaneShifts) & Vector256.Create(63UL));
            var high = Avx2.ShiftLeftLogicalVariable(Vector256<ulong>.One, Avx2.ShiftRightLogicalVariable(spread, HighLaneShifts) & Vector256.Create(63UL));
            var missing = Vector256.AndNot(low, Vector256.LoadUnsafe(ref block)) | Vector256.AndNot(high, Vector256.LoadUnsafe(ref block, 4));
            return missing == Vector256<ulong>.Zero;
        }

        var miss = 0UL;
        for (var lane = 0; lane < WordsPerBlock; lane++)
        {
            miss |= LaneBit(product, lane) & ~Unsafe.Add(ref block, lane);
        }

        return miss == 0;
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
        if (other.BitCount != BitCount)
        {
            throw new ArgumentException("Only filters of the same size can be united.", nameof(other));
        }

        for (var i = 0; i < _words.Length; i++)
        {
            _words[i] |= other._words[i];
        }
    }

    // Index of the first word of the element's block.
    private int Block(ulong hash) => (int)Math.BigMul(hash, _blockCount, out _) * WordsPerBlock;

    private static ulong LaneBit(ulong product, int lane) => 1UL << (int)((product >> (16 + (6 * lane))) & 63);

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
