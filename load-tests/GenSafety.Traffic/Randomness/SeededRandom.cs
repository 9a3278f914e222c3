using GenSafety.Detectors.Randomness;

namespace GenSafety.Traffic.Randomness;

/// <summary>
/// The generator's only source of randomness: <see cref="DeterministicRandom"/> (xoshiro256**, the same sequence
/// for a seed on every platform and .NET version) with the draws the personas and attacks need. Each actor and
/// each purpose gets its own stream through <see cref="Fork(string)"/>, so what one actor draws never shifts
/// another's sequence, whatever order requests complete in. Not thread-safe.
/// </summary>
public sealed class SeededRandom
{
    private readonly DeterministicRandom _random;

    /// <summary>A stream fixed by <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed)
    {
        Seed = seed;
        _random = new DeterministicRandom(seed);
    }

    /// <summary>The seed this stream started from.</summary>
    public ulong Seed { get; }

    /// <summary>An independent stream named <paramref name="purpose"/>, derived from this stream's seed (not its position).</summary>
    public SeededRandom Fork(string purpose) => new(DeterministicRandom.Derive((long)Seed, (long)Fnv1a(purpose)));

    /// <summary>As <see cref="Fork(string)"/>, for the <paramref name="index"/>-th member of a group.</summary>
    public SeededRandom Fork(string purpose, int index) => new(DeterministicRandom.Derive((long)Fnv1a(purpose) ^ (long)Seed, index));

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => _random.NextDouble();

    /// <summary>Uniform in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxExclusive, 1);
        return Math.Min(_random.NextInt(maxExclusive), maxExclusive - 1);
    }

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * _random.NextDouble());

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => _random.NextDouble() < p;

    /// <summary>Standard normal.</summary>
    public double Gaussian() => _random.NextGaussian();

    /// <summary>Exponential with mean <paramref name="mean"/> (Poisson-process gaps).</summary>
    public double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());

    /// <summary>Log-normal with median <paramref name="median"/> and log-space spread <paramref name="sigma"/> (human think times).</summary>
    public double LogNormal(double median, double sigma) => median * Math.Exp(sigma * _random.NextGaussian());

    /// <summary>Geometric on 1, 2, … with mean <paramref name="mean"/> (≥ 1).</summary>
    public int Geometric(double mean)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mean, 1.0);
        var p = 1 / mean;
        return p >= 1 ? 1 : 1 + (int)Math.Floor(Math.Log(1 - _random.NextDouble()) / Math.Log(1 - p));
    }

    /// <summary>A uniformly chosen element.</summary>
    public T Pick<T>(IReadOnlyList<T> items)
    {
        ArgumentOutOfRangeException.ThrowIfZero(items.Count);
        return items[Next(items.Count)];
    }

    /// <summary>An index drawn with probability proportional to <paramref name="weights"/>.</summary>
    public int PickWeighted(IReadOnlyList<double> weights)
    {
        var total = weights.Sum();
        var x = _random.NextDouble() * total;
        for (var i = 0; i < weights.Count; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }

    /// <summary><paramref name="count"/> distinct elements in random order (partial Fisher–Yates).</summary>
    public List<T> Sample<T>(IReadOnlyList<T> items, int count)
    {
        var pool = items.ToList();
        count = Math.Min(count, pool.Count);
        for (var i = 0; i < count; i++)
        {
            var j = i + Next(pool.Count - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        return pool.GetRange(0, count);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>FNV-1a of a string's UTF-16 code units: a stable name → number map (HashCode is per process).</summary>
    public static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
