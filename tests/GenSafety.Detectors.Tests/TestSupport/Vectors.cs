using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Tests.TestSupport;

internal static class Vectors
{
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    public static double Norm(ReadOnlySpan<float> a)
    {
        double sum = 0;
        foreach (var x in a)
        {
            sum += x * x;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>A vector drawn uniformly from the unit sphere.</summary>
    public static float[] RandomUnit(SeededRandom random, int dimensions) => Normalize(Enumerable.Range(0, dimensions).Select(_ => (float)random.NextGaussian()).ToArray());

    /// <summary><paramref name="center"/> plus Gaussian noise of <paramref name="spread"/> per coordinate, normalised.</summary>
    public static float[] Around(SeededRandom random, float[] center, double spread) =>
        Normalize(center.Select(c => (float)(c + (spread * random.NextGaussian()))).ToArray());

    public static float[] Normalize(float[] v)
    {
        var norm = (float)Norm(v);
        return v.Select(x => x / norm).ToArray();
    }
}
