using System.Globalization;
using GenSafety.Detectors.Images;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// The bands an image record's PDQ hash is indexed under for near-duplicate lookup: the 256 bits cut into 16 bands of
/// 16 bits (the hash's own 16-bit words), each band key holding the band's position and value. Two hashes within
/// Hamming distance d share at least one band whenever d ≤ 15 (pigeonhole); with the differing bits spread at random,
/// with probability 0.999 at d = 20, 0.96 at 28 and 0.91 at 31 (<see cref="CandidateProbability"/>). Unrelated images
/// (d ≈ 128) share a band with probability 2.4e-4, so a million records put about 15 ids in each band key. Candidates
/// are then kept only within <see cref="ProvenanceOptions.ImageMaxHammingDistance"/>. As many bands as
/// <see cref="LedgerBands.Count"/>, so text and image records take the same number of index keys in one ledger write.
/// </summary>
internal static class ImageLedgerBands
{
    /// <summary>Bands per image record.</summary>
    public const int Count = LedgerBands.Count;

    /// <summary>Bits per band.</summary>
    public const int Bits = PdqHash.Bits / Count;

    /// <summary>The band keys of <paramref name="hash"/>: <c>{position}:{value, 4 hex digits}</c>.</summary>
    public static string[] Keys(PdqHash hash)
    {
        // Bands never straddle two 64-bit words as long as Bits divides 64 (16 bands: 16 bits; the tests pin it).
        var keys = new string[Count];
        ReadOnlySpan<ulong> words = [hash.W0, hash.W1, hash.W2, hash.W3];
        const ulong Mask = (1UL << Bits) - 1;
        for (var band = 0; band < Count; band++)
        {
            var offset = band * Bits;
            var value = (words[offset / 64] >> (offset % 64)) & Mask;
            keys[band] = band.ToString(CultureInfo.InvariantCulture) + ":" + value.ToString("x4", CultureInfo.InvariantCulture);
        }

        return keys;
    }

    /// <summary>
    /// Probability that two hashes <paramref name="distance"/> bits apart, the differing bits placed at random, share a
    /// band (inclusion–exclusion over the bands left untouched).
    /// </summary>
    public static double CandidateProbability(int distance)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(distance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(distance, PdqHash.Bits);
        var total = 0.0;
        for (var clean = 1; clean <= Count; clean++)
        {
            var sign = clean % 2 == 1 ? 1 : -1;
            total += sign * Math.Exp(LogChoose(Count, clean) + LogChoose(PdqHash.Bits - (Bits * clean), distance) - LogChoose(PdqHash.Bits, distance));
        }

        return Math.Clamp(total, 0, 1);
    }

    private static double LogChoose(int n, int k)
    {
        if (k < 0 || k > n)
        {
            return double.NegativeInfinity;
        }

        var log = 0.0;
        for (var i = 1; i <= k; i++)
        {
            log += Math.Log(n - k + i) - Math.Log(i);
        }

        return log;
    }
}
