using System.Globalization;

namespace GenSafety.Watermarking.Ledger;

/// <summary>
/// Locality-sensitive band keys over a <see cref="MinHashSketch"/> signature: 32 bands of 4 values. Two outputs
/// share at least one band key with probability 1 − (1 − J⁴)³²: about 0.5 at Jaccard J = 0.38, 0.99 at 0.6 and
/// 0.05 at 0.2; the ledger indexes records by these keys and checks candidates with the full signature.
/// </summary>
public static class LshBands
{
    /// <summary>Number of bands.</summary>
    public const int Bands = 32;

    /// <summary>Signature values per band.</summary>
    public const int Rows = MinHashSketch.Size / Bands;

    /// <summary>The band keys of a signature: <c>{band:D2}:{hash:x16}</c>.</summary>
    public static string[] Keys(ReadOnlySpan<ulong> signature)
    {
        if (signature.Length != MinHashSketch.Size)
        {
            throw new ArgumentException($"MinHash signatures have {MinHashSketch.Size} values.", nameof(signature));
        }

        var keys = new string[Bands];
        for (var band = 0; band < Bands; band++)
        {
            var hash = MinHashSketch.Mix((ulong)band + 1);
            foreach (var value in signature.Slice(band * Rows, Rows))
            {
                hash = MinHashSketch.Mix(hash ^ value);
            }

            keys[band] = band.ToString("D2", CultureInfo.InvariantCulture) + ":" + hash.ToString("x16", CultureInfo.InvariantCulture);
        }

        return keys;
    }

    /// <summary>Probability that two outputs with Jaccard similarity <paramref name="jaccard"/> share a band key.</summary>
    public static double CandidateProbability(double jaccard) => 1 - Math.Pow(1 - Math.Pow(jaccard, Rows), Bands);
}
