using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// The 64-bit hash of a character n-gram: a polynomial rolling hash modulo 2^64 over per-character mixed values,
/// finished with the MurmurHash3 finaliser. Rolling makes stride-1 querying cost O(1) per character instead of
/// O(width). The same value is produced by <see cref="Of"/> (indexing) and by a rolling <see cref="NgramRoller"/>
/// (querying), in every process.
/// </summary>
internal static class NgramHash
{
    // An odd multiplier: multiplication by it is a bijection modulo 2^64.
    public const ulong Base = 0xD6E8FEB86659FD93UL;

    private static readonly ulong[] AsciiValues = Enumerable.Range(0, 128).Select(c => Mixed((char)c)).ToArray();

    /// <summary>The per-character value entering the polynomial.</summary>
    public static ulong CharValue(char c) => c < 128 ? AsciiValues[c] : Mixed(c);

    private static ulong Mixed(char c) => StableHash.Mix(c + StableHash.Golden);

    /// <summary>Base^(width-1): the weight of the character that leaves the window.</summary>
    public static ulong LeadingWeight(int width)
    {
        var weight = 1UL;
        for (var i = 1; i < width; i++)
        {
            weight *= Base;
        }

        return weight;
    }

    /// <summary>The hash of <paramref name="ngram"/> (its whole length is the width).</summary>
    public static ulong Of(ReadOnlySpan<char> ngram)
    {
        var h = 0UL;
        foreach (var c in ngram)
        {
            h = h * Base + CharValue(c);
        }

        return StableHash.Mix(h);
    }
}
