using System.Numerics.Tensors;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Coverage;

/// <summary>
/// The locality-sensitive hash of B4B (Dubiński et al., NeurIPS 2023): <see cref="ProjectionCount"/> independent
/// Gaussian projections, each <c>P ∈ ℝ^{d×12}</c> with N(0,1) entries drawn from a seed, and a vector's bucket under
/// projection p is the 12-bit code of <c>sign(v·P) &gt; 0</c> (bit b from hyperplane b). Immutable and thread-safe:
/// one instance per (dimensions, seed) serves every client. The entries are stored as floats, which also absorbs
/// last-bit differences between platforms' math libraries, so every replica computes the same buckets.
/// </summary>
public sealed class B4BProjection
{
    /// <summary>Independent projections (B4B: 20).</summary>
    public const int ProjectionCount = 20;

    /// <summary>Sign bits per projection (B4B: 12).</summary>
    public const int BitsPerProjection = 12;

    /// <summary>Buckets per projection: 2¹² = 4096.</summary>
    public const int BucketsPerProjection = 1 << BitsPerProjection;

    private const int Hyperplanes = ProjectionCount * BitsPerProjection;

    // Hyperplane h = p·12 + b is row h: _normals[h·d … h·d + d).
    private readonly float[] _normals;

    /// <summary>Draws the projections for vectors of <paramref name="dimensions"/> values from <paramref name="seed"/>.</summary>
    public B4BProjection(int dimensions, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Dimensions = dimensions;
        Seed = seed;
        _normals = new float[Hyperplanes * dimensions];
        var random = new DeterministicRandom((ulong)seed);
        for (var i = 0; i < _normals.Length; i++)
        {
            _normals[i] = (float)random.NextGaussian();
        }
    }

    /// <summary>Length of the vectors this projection hashes.</summary>
    public int Dimensions { get; }

    /// <summary>The seed the projections were drawn from.</summary>
    public long Seed { get; }

    /// <summary>Writes the bucket (0 to 4095) of <paramref name="vector"/> under each projection to <paramref name="buckets"/> (<see cref="ProjectionCount"/> long).</summary>
    public void ComputeBuckets(ReadOnlySpan<float> vector, Span<int> buckets)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"The vector must hold exactly {Dimensions} values.", nameof(vector));
        }

        if (buckets.Length != ProjectionCount)
        {
            throw new ArgumentException($"The destination must hold exactly {ProjectionCount} buckets.", nameof(buckets));
        }

        var normals = _normals.AsSpan();
        for (var p = 0; p < ProjectionCount; p++)
        {
            var code = 0;
            for (var b = 0; b < BitsPerProjection; b++)
            {
                var row = normals.Slice(((p * BitsPerProjection) + b) * Dimensions, Dimensions);
                if (TensorPrimitives.Dot(row, vector) > 0)
                {
                    code |= 1 << b;
                }
            }

            buckets[p] = code;
        }
    }
}
