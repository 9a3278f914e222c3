namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Bloom filter sizing: for n elements and a target false-positive rate p, the optimum is
/// m/n = −ln p / (ln 2)² bits per element and k = (m/n)·ln 2 hash functions; with m bits, n elements and k
/// hashes the expected false-positive rate is (1 − e^(−kn/m))^k.
/// </summary>
public static class BloomSizing
{
    /// <summary>Optimal bits per element for false-positive rate <paramref name="falsePositiveRate"/> (e.g. 1e-3 → 14.38).</summary>
    public static double BitsPerElement(double falsePositiveRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(falsePositiveRate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(falsePositiveRate, 1);
        return -Math.Log(falsePositiveRate) / (Math.Log(2) * Math.Log(2));
    }

    /// <summary>Optimal number of hash functions for <paramref name="bitsPerElement"/> (at least 1).</summary>
    public static int HashCount(double bitsPerElement) => Math.Max(1, (int)Math.Round(bitsPerElement * Math.Log(2)));

    /// <summary>Expected false-positive rate with <paramref name="bits"/> bits, <paramref name="elements"/> elements, <paramref name="hashCount"/> hashes.</summary>
    public static double FalsePositiveRate(long bits, long elements, int hashCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bits, 0);
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        ArgumentOutOfRangeException.ThrowIfLessThan(hashCount, 1);
        return Math.Pow(1 - Math.Exp(-(double)hashCount * elements / bits), hashCount);
    }

    /// <summary>Bits for <paramref name="elements"/> at <paramref name="falsePositiveRate"/>, rounded up to whole 64-bit words.</summary>
    public static long Bits(long elements, double falsePositiveRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elements, 1);
        var bits = (long)Math.Ceiling(elements * BitsPerElement(falsePositiveRate));
        return (bits + 63) / 64 * 64;
    }
}
