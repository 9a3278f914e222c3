namespace GenSafety.Detectors.Randomness;

/// <summary>
/// 64-bit hashing that gives the same values in every process, machine and .NET version (unlike
/// <see cref="HashCode"/>, which is randomised per process): hashed features and seeded projections must agree
/// across gateway replicas that share state in Redis.
/// </summary>
public static class StableHash
{
    /// <summary>FNV-1a 64-bit offset basis.</summary>
    public const ulong FnvOffset = 14695981039346656037UL;

    /// <summary>FNV-1a 64-bit prime.</summary>
    public const ulong FnvPrime = 1099511628211UL;

    /// <summary>The golden-ratio increment of SplitMix64.</summary>
    public const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>One FNV-1a step over a UTF-16 code unit.</summary>
    public static ulong Fnv1a(ulong hash, char c) => (hash ^ c) * FnvPrime;

    /// <summary>
    /// The MurmurHash3 64-bit finaliser: a bijection with full avalanche, so distinct inputs stay distinct and
    /// every output bit depends on every input bit.
    /// </summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDUL;
        z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53UL;
        return z ^ (z >> 33);
    }

    /// <summary>FNV-1a over the UTF-16 code units of <paramref name="text"/>, finished with <see cref="Mix"/>.</summary>
    public static ulong Of(string text)
    {
        var hash = FnvOffset;
        foreach (var c in text)
        {
            hash = Fnv1a(hash, c);
        }

        return Mix(hash);
    }
}
