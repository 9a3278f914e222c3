using System.Numerics;

namespace GenSafety.Detectors.Randomness;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the same sequence for the same seed in every process, platform and .NET
/// version (unlike <see cref="Random"/>, whose seeded algorithm is an implementation detail). Seeded projections,
/// the reference model's sampling and its images all depend on that. Not thread-safe.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>A generator whose sequence is fixed by <paramref name="seed"/>.</summary>
    public DeterministicRandom(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>Derives a seed for stream <paramref name="index"/> of a request seeded with <paramref name="seed"/>.</summary>
    public static ulong Derive(long seed, long index)
    {
        var state = (ulong)seed ^ ((ulong)index * 0xD1B54A32D192ED03UL);
        return SplitMix(ref state);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive) => (int)(NextDouble() * maxExclusive);

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates, from the last item down).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Standard normal (Box–Muller, one value per two uniforms).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += StableHash.Golden;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
