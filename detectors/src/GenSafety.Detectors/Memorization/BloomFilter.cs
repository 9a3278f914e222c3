using System.Buffers.Binary;
using System.Numerics;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// A Bloom filter over 64-bit element hashes. The k bit positions come from double hashing (Kirsch–Mitzenmacher:
/// g_i = h1 + i·h2, which keeps the asymptotic false-positive rate of k independent hashes), with h1 the element
/// hash and h2 an odd re-mix of it, each reduced to [0, m) by a multiply-shift. The bit array is exported and
/// imported in fixed-size chunks of little-endian 64-bit words (for chunked storage such as Redis strings).
/// Not thread-safe for writers; concurrent readers are fine once writes have stopped.
/// </summary>
public sealed class BloomFilter
{
    private const ulong SecondHashSalt = 0x8CB92BA72F3D8DD7UL;

    private readonly ulong[] _words;

    /// <summary>Creates an empty filter of <paramref name="bitCount"/> bits (rounded up to a multiple of 64) and <paramref name="hashCount"/> hashes.</summary>
    public BloomFilter(long bitCount, int hashCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitCount, 64);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitCount, (long)Array.MaxLength * 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(hashCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hashCount, 64);
        _words = new ulong[(bitCount + 63) / 64];
        BitCount = _words.LongLength * 64;
        HashCount = hashCount;
    }

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
        var h2 = SecondHash(hash);
        for (var i = 0; i < HashCount; i++)
        {
            var bit = Reduce(hash);
            _words[bit >> 6] |= 1UL << (int)(bit & 63);
            hash += h2;
        }
    }

    /// <summary>False when the element was certainly never added; true when it was, or by a false positive.</summary>
    public bool MightContain(ulong hash)
    {
        // Most queries miss on the first probe: test it before paying for the second hash.
        var bit = Reduce(hash);
        if ((_words[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
        {
            return false;
        }

        var h2 = SecondHash(hash);
        for (var i = 1; i < HashCount; i++)
        {
            hash += h2;
            bit = Reduce(hash);
            if ((_words[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
            {
                return false;
            }
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

    private static ulong SecondHash(ulong hash) => StableHash.Mix(hash ^ SecondHashSalt) | 1UL;

    private ulong Reduce(ulong hash) => Math.BigMul(hash, (ulong)BitCount, out _);

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
