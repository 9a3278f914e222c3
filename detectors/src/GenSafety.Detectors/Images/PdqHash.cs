using System.Globalization;
using System.Numerics;

namespace GenSafety.Detectors.Images;

/// <summary>
/// A 256-bit PDQ hash. Bit <c>16·i + j</c> is set when DCT coefficient (i, j) exceeds the median. The hex form is
/// the reference one: 16 sixteen-bit words, word 15 first, four hex digits each (64 characters).
/// </summary>
public readonly record struct PdqHash(ulong W0, ulong W1, ulong W2, ulong W3)
{
    /// <summary>Number of bits.</summary>
    public const int Bits = 256;

    /// <summary>True when bit <paramref name="index"/> (0–255) is set.</summary>
    public bool this[int index] => (Word(index >> 6) >> (index & 63) & 1) != 0;

    /// <summary>Number of differing bits.</summary>
    public int DistanceTo(PdqHash other) =>
        BitOperations.PopCount(W0 ^ other.W0) + BitOperations.PopCount(W1 ^ other.W1)
        + BitOperations.PopCount(W2 ^ other.W2) + BitOperations.PopCount(W3 ^ other.W3);

    /// <summary>Number of set bits.</summary>
    public int PopCount => BitOperations.PopCount(W0) + BitOperations.PopCount(W1) + BitOperations.PopCount(W2) + BitOperations.PopCount(W3);

    /// <summary>The reference hex form.</summary>
    public override string ToString()
    {
        var chars = new char[64];
        for (var row = 15; row >= 0; row--)
        {
            var word = (ushort)(Word(row >> 2) >> (16 * (row & 3)));
            word.TryFormat(chars.AsSpan(4 * (15 - row), 4), out _, "x4", CultureInfo.InvariantCulture);
        }

        return new string(chars);
    }

    /// <summary>Parses the reference hex form.</summary>
    /// <exception cref="FormatException">Not 64 hex digits.</exception>
    public static PdqHash Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != 64)
        {
            throw new FormatException("A PDQ hash is 64 hex digits.");
        }

        Span<ulong> words = stackalloc ulong[4];
        for (var row = 15; row >= 0; row--)
        {
            if (!ushort.TryParse(hex.AsSpan(4 * (15 - row), 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var word))
            {
                throw new FormatException("A PDQ hash is 64 hex digits.");
            }

            words[row >> 2] |= (ulong)word << (16 * (row & 3));
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    internal static PdqHash FromBits(ReadOnlySpan<bool> bits)
    {
        Span<ulong> words = stackalloc ulong[4];
        for (var i = 0; i < Bits; i++)
        {
            if (bits[i])
            {
                words[i >> 6] |= 1UL << (i & 63);
            }
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    private ulong Word(int index) => index switch { 0 => W0, 1 => W1, 2 => W2, _ => W3 };
}
