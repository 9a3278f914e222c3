using System.Numerics;
using System.Runtime.InteropServices;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Coverage;

/// <summary>
/// The locality-sensitive hash of B4B (Dubiński et al., NeurIPS 2023): <see cref="ProjectionCount"/> independent
/// Gaussian projections, each <c>P ∈ ℝ^{d×12}</c> with N(0,1) entries drawn from a seed, and a vector's bucket under
/// projection p is the 12-bit code of <c>sign(v·P) &gt; 0</c> (bit b from hyperplane b). Immutable and thread-safe:
/// one instance per (dimensions, seed) serves every client. The entries are stored as floats (which also absorbs
/// last-bit differences between platforms' math libraries), so replicas on the same kind of processor compute the
/// same buckets; elsewhere only a vector within float rounding of a hyperplane can land differently.
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

        buckets.Clear();
        var normals = _normals.AsSpan();
        Span<float> dots = stackalloc float[4];

        // Four hyperplanes at a time, so that each load of the vector serves four rows of the matrix.
        for (var h = 0; h < Hyperplanes; h += 4)
        {
            Dot4(normals.Slice(h * Dimensions, 4 * Dimensions), vector, dots);
            for (var j = 0; j < 4; j++)
            {
                if (dots[j] > 0)
                {
                    var hyperplane = h + j;
                    buckets[hyperplane / BitsPerProjection] |= 1 << (hyperplane % BitsPerProjection);
                }
            }
        }
    }

    /// <summary>The dot products of <paramref name="vector"/> with the four consecutive rows in <paramref name="rows"/>.</summary>
    private static void Dot4(ReadOnlySpan<float> rows, ReadOnlySpan<float> vector, Span<float> dots)
    {
        var length = vector.Length;
        var x = MemoryMarshal.Cast<float, Vector<float>>(vector);
        var r0 = MemoryMarshal.Cast<float, Vector<float>>(rows[..length]);
        var r1 = MemoryMarshal.Cast<float, Vector<float>>(rows.Slice(length, length));
        var r2 = MemoryMarshal.Cast<float, Vector<float>>(rows.Slice(2 * length, length));
        var r3 = MemoryMarshal.Cast<float, Vector<float>>(rows.Slice(3 * length, length));
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (var i = 0; i < x.Length; i++)
        {
            var xi = x[i];
            a0 += r0[i] * xi;
            a1 += r1[i] * xi;
            a2 += r2[i] * xi;
            a3 += r3[i] * xi;
        }

        float s0 = Vector.Sum(a0), s1 = Vector.Sum(a1), s2 = Vector.Sum(a2), s3 = Vector.Sum(a3);
        for (var i = x.Length * Vector<float>.Count; i < length; i++)
        {
            s0 += rows[i] * vector[i];
            s1 += rows[length + i] * vector[i];
            s2 += rows[(2 * length) + i] * vector[i];
            s3 += rows[(3 * length) + i] * vector[i];
        }

        dots[0] = s0;
        dots[1] = s1;
        dots[2] = s2;
        dots[3] = s3;
    }
}
