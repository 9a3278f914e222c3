using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Attacks.Encoder;

/// <summary>
/// The attacker's own cheap text features: character 3- to 5-grams of the lower-cased text (with a space at
/// each end), hashed into <see cref="Dimensions"/> signed buckets (the sign from another hash bit cancels collisions
/// on average), sublinear counts 1 + ln(tf), L2-normalised. No model, no training: what a surrogate regresses the
/// victim's embeddings on.
/// </summary>
public sealed class CharNGramFeatures(int dimensions)
{
    /// <summary>Number of hashed features.</summary>
    public int Dimensions { get; } = dimensions > 0 ? dimensions : throw new ArgumentOutOfRangeException(nameof(dimensions));

    /// <summary>The feature vector of <paramref name="text"/>.</summary>
    public double[] Transform(string text)
    {
        var padded = " " + text.ToLowerInvariant() + " ";
        var counts = new Dictionary<int, int>();
        for (var n = 3; n <= 5; n++)
        {
            for (var start = 0; start + n <= padded.Length; start++)
            {
                var hash = SeededRandom.Fnv1a(padded.Substring(start, n));
                var bucket = (int)(hash % (ulong)Dimensions);
                var sign = (hash >> 63) == 0 ? 1 : -1;
                counts[bucket] = counts.GetValueOrDefault(bucket) + sign;
            }
        }

        var vector = new double[Dimensions];
        foreach (var (bucket, count) in counts)
        {
            if (count != 0)
            {
                vector[bucket] = Math.Sign(count) * (1 + Math.Log(Math.Abs(count)));
            }
        }

        var norm = Math.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }
}
