using System.Text;

namespace GenSafety.Watermarking.Ledger;

/// <summary>
/// MinHash of the set of word 5-grams of a normalised output (<see cref="OutputNormalizer"/>): 128 minima of
/// independent 64-bit hashes. The share of equal minima estimates the Jaccard similarity of two outputs' 5-gram sets
/// (standard error ≈ sqrt(J(1−J)/128)). Stable across processes and machines: hashes are fixed functions, not
/// <see cref="HashCode"/>.
/// </summary>
public static class MinHashSketch
{
    /// <summary>Number of hash functions (signature length).</summary>
    public const int Size = 128;

    /// <summary>Words per shingle.</summary>
    public const int ShingleWords = 5;

    private static readonly ulong[] Seeds = Enumerable.Range(1, Size).Select(i => Mix(0x9e3779b97f4a7c15UL * (ulong)i)).ToArray();

    /// <summary>
    /// The signature of <paramref name="text"/>. Texts with fewer than five words use one shingle of all their
    /// words; a text without words gets an all-max signature that matches nothing but itself.
    /// </summary>
    public static ulong[] Compute(string text)
    {
        var words = Words(OutputNormalizer.Normalize(text));
        var signature = new ulong[Size];
        Array.Fill(signature, ulong.MaxValue);
        if (words.Count == 0)
        {
            return signature;
        }

        var shingles = Math.Max(1, words.Count - ShingleWords + 1);
        for (var s = 0; s < shingles; s++)
        {
            var shingle = 0xcbf29ce484222325UL;
            for (var w = s; w < Math.Min(words.Count, s + ShingleWords); w++)
            {
                shingle = Mix(shingle ^ words[w]);
            }

            for (var i = 0; i < Size; i++)
            {
                var h = Mix(shingle ^ Seeds[i]);
                if (h < signature[i])
                {
                    signature[i] = h;
                }
            }
        }

        return signature;
    }

    /// <summary>Estimated Jaccard similarity of two signatures' 5-gram sets.</summary>
    public static double EstimateJaccard(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.Length != Size || b.Length != Size)
        {
            throw new ArgumentException($"MinHash signatures have {Size} values.");
        }

        var equal = 0;
        for (var i = 0; i < Size; i++)
        {
            equal += a[i] == b[i] ? 1 : 0;
        }

        return (double)equal / Size;
    }

    /// <summary>64-bit hashes of the words (runs of letters or digits) of a normalised text.</summary>
    private static List<ulong> Words(string normalized)
    {
        var words = new List<ulong>();
        var hash = 0xcbf29ce484222325UL;
        var inWord = false;
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                // FNV-1a over the code points, finished by Mix below.
                hash = (hash ^ (uint)rune.Value) * 0x100000001b3UL;
                inWord = true;
            }
            else if (inWord)
            {
                words.Add(Mix(hash));
                hash = 0xcbf29ce484222325UL;
                inWord = false;
            }
        }

        if (inWord)
        {
            words.Add(Mix(hash));
        }

        return words;
    }

    /// <summary>MurmurHash3's 64-bit finaliser (a bijection with full avalanche).</summary>
    internal static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        x ^= x >> 33;
        return x;
    }
}
