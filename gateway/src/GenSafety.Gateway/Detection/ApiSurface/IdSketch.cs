using System.Numerics;

namespace GenSafety.Gateway.Detection.ApiSurface;

/// <summary>
/// A linear-counting sketch of distinct token ids (Whang et al. 1990): a bitmap of m bits, a token sets the bit its
/// hash (MurmurHash3's 32-bit finaliser, which also scatters runs of consecutive ids) selects, and with V bits still clear the count is estimated as <c>−m·ln(V/m)</c> (at most
/// <c>m·ln m</c> once every bit is set). About ±2% for counts up to m and usable up to several times m.
/// </summary>
internal static class IdSketch
{
    /// <summary>Sets the bit of <paramref name="token"/> in <paramref name="sketch"/> (a power-of-two number of bytes).</summary>
    public static void Add(Span<byte> sketch, int token)
    {
        var bits = sketch.Length * 8;
        var h = (uint)token;
        h = (h ^ (h >> 16)) * 0x85EBCA6Bu;
        h = (h ^ (h >> 13)) * 0xC2B2AE35u;
        h ^= h >> 16;
        var bit = (int)(h >> (32 - BitOperations.Log2((uint)bits)));
        sketch[bit >> 3] |= (byte)(1 << (bit & 7));
    }

    /// <summary>The estimated number of distinct ids in <paramref name="sketch"/>.</summary>
    public static double Estimate(ReadOnlySpan<byte> sketch) => Estimate(sketch, []);

    /// <summary>The estimated number of distinct ids in the union of two equally long sketches (<paramref name="other"/> may be empty).</summary>
    public static double Estimate(ReadOnlySpan<byte> sketch, ReadOnlySpan<byte> other)
    {
        var bits = sketch.Length * 8;
        var set = 0;
        for (var i = 0; i < sketch.Length; i++)
        {
            set += BitOperations.PopCount((uint)(sketch[i] | (other.IsEmpty ? 0 : other[i])));
        }

        var clear = bits - set;
        return clear == 0 ? bits * Math.Log(bits) : -bits * Math.Log((double)clear / bits);
    }
}
