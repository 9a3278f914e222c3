using System.Buffers.Binary;
using System.Numerics;

namespace GenSafety.Watermarking.Text.Lexical;

/// <summary>SipHash-2-4 (Aumasson and Bernstein): a keyed pseudo-random function for short inputs.</summary>
internal readonly struct SipHash24
{
    private readonly ulong _k0;
    private readonly ulong _k1;

    /// <summary>Uses the first 16 bytes of <paramref name="key"/>.</summary>
    public SipHash24(ReadOnlySpan<byte> key)
    {
        _k0 = BinaryPrimitives.ReadUInt64LittleEndian(key);
        _k1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]);
    }

    /// <summary>The 64-bit SipHash-2-4 of <paramref name="data"/>.</summary>
    public ulong Hash(ReadOnlySpan<byte> data)
    {
        var v0 = _k0 ^ 0x736f6d6570736575UL;
        var v1 = _k1 ^ 0x646f72616e646f6dUL;
        var v2 = _k0 ^ 0x6c7967656e657261UL;
        var v3 = _k1 ^ 0x7465646279746573UL;
        var end = data.Length - (data.Length % 8);
        for (var i = 0; i < end; i += 8)
        {
            var m = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        var last = (ulong)(data.Length & 0xff) << 56;
        for (var i = 0; i < data.Length - end; i++)
        {
            last |= (ulong)data[end + i] << (8 * i);
        }

        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;
        v2 ^= 0xff;
        for (var i = 0; i < 4; i++)
        {
            Round(ref v0, ref v1, ref v2, ref v3);
        }

        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1;
        v1 = BitOperations.RotateLeft(v1, 13);
        v1 ^= v0;
        v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3;
        v3 = BitOperations.RotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = BitOperations.RotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = BitOperations.RotateLeft(v1, 17);
        v1 ^= v2;
        v2 = BitOperations.RotateLeft(v2, 32);
    }
}
