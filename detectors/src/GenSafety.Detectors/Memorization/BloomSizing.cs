namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Bloom filter sizing. A classic filter's optimum for n elements and false-positive rate p is
/// m/n = −ln p / (ln 2)² bits per element with k = (m/n)·ln 2 hashes. <see cref="BloomFilter"/> is blocked: every
/// element sets its k bits inside one block of B = 512 bits, and blocks receive a Poisson(B·n/m) number of
/// elements, so its rate is Σ_i Poisson(i; B·n/m)·(1 − (1 − 1/B)^(i·k))^k (Putze et al. 2007), higher than the
/// classic (1 − e^(−kn/m))^k; <see cref="Bits"/>, <see cref="HashCount"/> and <see cref="FalsePositiveRate"/>
/// size and estimate the blocked filter (e.g. 1e-3 needs 15.50 bits per element with k = 9, against 14.38 and 10).
/// </summary>
public static class BloomSizing
{
    private const int MaxHashCount = 24;

    /// <summary>A classic (unblocked) filter's optimal bits per element for <paramref name="falsePositiveRate"/> (e.g. 1e-3 → 14.38).</summary>
    public static double BitsPerElement(double falsePositiveRate)
    {
        CheckRate(falsePositiveRate);
        return -Math.Log(falsePositiveRate) / (Math.Log(2) * Math.Log(2));
    }

    /// <summary>A classic filter's optimal number of hash functions for <paramref name="bitsPerElement"/> (at least 1).</summary>
    public static int ClassicHashCount(double bitsPerElement) => Math.Max(1, (int)Math.Round(bitsPerElement * Math.Log(2)));

    /// <summary>
    /// The fewest bits per element (to 0.01) at which the blocked filter, with its best hash count, reaches
    /// <paramref name="falsePositiveRate"/> (e.g. 1e-3 → 15.50).
    /// </summary>
    public static double BlockedBitsPerElement(double falsePositiveRate)
    {
        var bits = BitsPerElement(falsePositiveRate);
        while (BlockedFalsePositiveRate(bits, HashCount(bits)) > falsePositiveRate)
        {
            bits += 0.01;
        }

        return Math.Round(bits, 2);
    }

    /// <summary>The hash count with the lowest blocked false-positive rate at <paramref name="bitsPerElement"/>.</summary>
    public static int HashCount(double bitsPerElement)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitsPerElement, 1);
        var best = 1;
        for (var k = 2; k <= MaxHashCount; k++)
        {
            if (BlockedFalsePositiveRate(bitsPerElement, k) < BlockedFalsePositiveRate(bitsPerElement, best))
            {
                best = k;
            }
        }

        return best;
    }

    /// <summary>Expected false-positive rate of the blocked filter with <paramref name="bits"/> bits, <paramref name="elements"/> elements, <paramref name="hashCount"/> hashes.</summary>
    public static double FalsePositiveRate(long bits, long elements, int hashCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bits, 0);
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        ArgumentOutOfRangeException.ThrowIfLessThan(hashCount, 1);
        return elements == 0 ? 0 : BlockedFalsePositiveRate((double)bits / elements, hashCount);
    }

    /// <summary>Bits for <paramref name="elements"/> at <paramref name="falsePositiveRate"/> in the blocked filter, rounded up to whole blocks.</summary>
    public static long Bits(long elements, double falsePositiveRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elements, 1);
        var bits = (long)Math.Ceiling(elements * BlockedBitsPerElement(falsePositiveRate));
        return (bits + BloomFilter.BlockBits - 1) / BloomFilter.BlockBits * BloomFilter.BlockBits;
    }

    private static double BlockedFalsePositiveRate(double bitsPerElement, int hashCount)
    {
        const double B = BloomFilter.BlockBits;
        var perBlock = B / bitsPerElement; // mean elements per block
        var probability = Math.Exp(-perBlock); // Poisson(0)
        var sum = 0.0;
        var last = (int)(perBlock + 10 * Math.Sqrt(perBlock) + 50);
        for (var i = 0; i <= last; i++)
        {
            sum += probability * Math.Pow(1 - Math.Pow(1 - 1 / B, (double)i * hashCount), hashCount);
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
