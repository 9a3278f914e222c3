namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Bloom filter sizing. A classic filter's optimum for n elements and false-positive rate p is
/// m/n = −ln p / (ln 2)² bits per element with k = (m/n)·ln 2 hashes. <see cref="BloomFilter"/> is split-block: every
/// element sets one bit in each of the L = 8 lanes of W = 64 bits of one block of B = 512 bits, and blocks receive a
/// Poisson(B·n/m) number of elements, so its rate is Σ_i Poisson(i; B·n/m)·(1 − (1 − 1/W)^i)^L, higher than the
/// classic (1 − e^(−kn/m))^k; <see cref="Bits"/> and <see cref="FalsePositiveRate"/> size and estimate it (e.g. 1e-3
/// needs 15.73 bits per element, against 14.38 for a classic filter).
/// </summary>
public static class BloomSizing
{
    private const int Lanes = BloomFilter.HashCount;
    private const double LaneBits = BloomFilter.BlockBits / (double)BloomFilter.HashCount;

    /// <summary>A classic (unblocked) filter's optimal bits per element for <paramref name="falsePositiveRate"/> (e.g. 1e-3 → 14.38).</summary>
    public static double BitsPerElement(double falsePositiveRate)
    {
        CheckRate(falsePositiveRate);
        return -Math.Log(falsePositiveRate) / (Math.Log(2) * Math.Log(2));
    }

    /// <summary>A classic filter's optimal number of hash functions for <paramref name="bitsPerElement"/> (at least 1).</summary>
    public static int ClassicHashCount(double bitsPerElement) => Math.Max(1, (int)Math.Round(bitsPerElement * Math.Log(2)));

    /// <summary>The fewest bits per element (to 0.01) at which the split-block filter reaches <paramref name="falsePositiveRate"/> (e.g. 1e-3 → 15.73).</summary>
    public static double BlockedBitsPerElement(double falsePositiveRate)
    {
        var bits = BitsPerElement(falsePositiveRate);
        while (SplitBlockFalsePositiveRate(bits) > falsePositiveRate)
        {
            bits += 0.01;
        }

        return Math.Round(bits, 2);
    }

    /// <summary>Expected false-positive rate of the split-block filter with <paramref name="bits"/> bits holding <paramref name="elements"/> elements.</summary>
    public static double FalsePositiveRate(long bits, long elements)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bits, 0);
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        return elements == 0 ? 0 : SplitBlockFalsePositiveRate((double)bits / elements);
    }

    /// <summary>Bits for <paramref name="elements"/> at <paramref name="falsePositiveRate"/> in the split-block filter, rounded up to whole blocks.</summary>
    public static long Bits(long elements, double falsePositiveRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elements, 1);
        var bits = (long)Math.Ceiling(elements * BlockedBitsPerElement(falsePositiveRate));
        return (bits + BloomFilter.BlockBits - 1) / BloomFilter.BlockBits * BloomFilter.BlockBits;
    }

    private static double SplitBlockFalsePositiveRate(double bitsPerElement)
    {
        var perBlock = BloomFilter.BlockBits / bitsPerElement; // mean elements per block
        var probability = Math.Exp(-perBlock); // Poisson(0)
        var sum = 0.0;
        var last = (int)(perBlock + 10 * Math.Sqrt(perBlock) + 50);
        for (var i = 0; i <= last; i++)
        {
            sum += probability * Math.Pow(1 - Math.Pow(1 - 1 / LaneBits, i), Lanes);
            probability *= perBlock / (i + 1);
        }

        return sum;
    }

    private static void CheckRate(double falsePositiveRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(falsePositiveRate, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(falsePositiveRate, 1);
    }
}
