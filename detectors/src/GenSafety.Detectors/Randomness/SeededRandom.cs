namespace GenSafety.Detectors.Randomness;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small, fast generator whose sequence is fixed by its seed in every
/// process and .NET version (<see cref="Random"/>'s seeded algorithm is an implementation detail). Not thread-safe.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;
    private double? _spareGaussian;

    public SeededRandom(long seed)
    {
        var state = (ulong)seed;
        _s0 = NextSplitMix(ref state);
        _s1 = NextSplitMix(ref state);
        _s2 = NextSplitMix(ref state);
        _s3 = NextSplitMix(ref state);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal deviate (Box–Muller; the second value of each pair is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }

        // 1 - u lies in (0, 1], so the logarithm is finite.
        var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - NextDouble()));
        var angle = 2.0 * Math.PI * NextDouble();
        _spareGaussian = radius * Math.Sin(angle);
        return radius * Math.Cos(angle);
    }

    private static ulong NextSplitMix(ref ulong state)
    {
        state += StableHash.Golden;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
