using System.Numerics.Tensors;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Tests.TestSupport;

internal static class Vectors
{
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.CosineSimilarity(a, b);

    public static double Norm(ReadOnlySpan<float> a) => TensorPrimitives.Norm(a);

    /// <summary>A vector drawn uniformly from the unit sphere.</summary>
    public static float[] RandomUnit(DeterministicRandom random, int dimensions) => Normalize(Enumerable.Range(0, dimensions).Select(_ => (float)random.NextGaussian()).ToArray());

    /// <summary><paramref name="center"/> plus Gaussian noise of <paramref name="spread"/> per coordinate, normalised.</summary>
    public static float[] Around(DeterministicRandom random, float[] center, double spread) =>
        Normalize(center.Select(c => (float)(c + (spread * random.NextGaussian()))).ToArray());

    public static float[] Normalize(float[] v)
    {
        var norm = (float)Norm(v);
        return v.Select(x => x / norm).ToArray();
    }
}
