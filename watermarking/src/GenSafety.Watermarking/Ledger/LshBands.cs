using System.Globalization;

namespace GenSafety.Watermarking.Ledger;

/// <summary>
/// Locality-sensitive band keys over a <see cref="MinHashSketch"/> signature: by default 32 bands of 4 values. Two
/// outputs share at least one band key with probability 1 − (1 − Jʳ)ᵇ (b bands of r rows): for 32 × 4 about 0.5 at
/// Jaccard J = 0.38, 0.99 at 0.6 and 0.05 at 0.2; an index keeps these keys and checks candidates with the full
/// signature. Fewer bands cost fewer index writes; fewer rows per band keep the recall at the price of more
/// unrelated candidates to check.
/// </summary>
public static class LshBands
{
    /// <summary>Default number of bands.</summary>
    public const int Bands = 32;

    /// <summary>Default signature values per band.</summary>
    public const int Rows = MinHashSketch.Size / Bands;

    /// <summary>The default (32 × 4) band keys of a signature: <c>{band:D2}:{hash:x16}</c>.</summary>
    public static string[] Keys(ReadOnlySpan<ulong> signature) => Keys(signature, Bands, Rows);

    /// <summary>
    /// The keys of <paramref name="bands"/> bands of <paramref name="rows"/> values each, taken from the start of the
    /// signature (bands × rows ≤ <see cref="MinHashSketch.Size"/>): <c>{band:D2}:{hash:x16}</c>.
    /// </summary>
    public static string[] Keys(ReadOnlySpan<ulong> signature, int bands, int rows)
    {
        if (signature.Length != MinHashSketch.Size)
        {
            throw new ArgumentException($"MinHash signatures have {MinHashSketch.Size} values.", nameof(signature));
        }

        if (bands < 1 || rows < 1 || bands * rows > MinHashSketch.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(bands), $"bands × rows must be between 1 and {MinHashSketch.Size}.");
        }

        var keys = new string[bands];
        for (var band = 0; band < bands; band++)
        {
            var hash = MinHashSketch.Mix((ulong)band + 1);
            foreach (var value in signature.Slice(band * rows, rows))
            {
                hash = MinHashSketch.Mix(hash ^ value);
            }

            keys[band] = band.ToString("D2", CultureInfo.InvariantCulture) + ":" + hash.ToString("x16", CultureInfo.InvariantCulture);
        }

        return keys;
    }

    /// <summary>Probability that two outputs with Jaccard similarity <paramref name="jaccard"/> share a default band key.</summary>
    public static double CandidateProbability(double jaccard) => CandidateProbability(jaccard, Bands, Rows);

    /// <summary>Probability that two outputs with Jaccard similarity <paramref name="jaccard"/> share one of <paramref name="bands"/> keys of <paramref name="rows"/> rows.</summary>
    public static double CandidateProbability(double jaccard, int bands, int rows) => 1 - Math.Pow(1 - Math.Pow(jaccard, rows), bands);
}
