using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Security.Cryptography;
using GenSafety.Watermarking.Keys;

namespace GenSafety.Watermarking.Embeddings;

/// <summary>
/// A keyed orthogonal transform of embeddings (B4B, Dubiński et al. 2023, §4: per-user transformations so that
/// answers collected under different keys cannot be pooled). The d×d matrix is Q of the QR decomposition of a d×d
/// Gaussian matrix drawn from a stream keyed by the tenant's permanent <see cref="KeyPurpose.Embedding"/> key — a
/// Haar-random rotation — so every cosine similarity and norm among one tenant's vectors is kept exactly (up to float
/// rounding), while vectors of two tenants live in unrelated frames. Building costs O(d³) once per (key, d); applying
/// costs d² multiply-adds per vector (384-d: 147,456).
/// </summary>
public sealed class KeyedRotation
{
    private readonly float[] _rows;

    private KeyedRotation(int dimensions, float[] rows)
    {
        Dimensions = dimensions;
        _rows = rows;
    }

    /// <summary>The dimension it rotates.</summary>
    public int Dimensions { get; }

    /// <summary>The rotation of <paramref name="dimensions"/>-d vectors under <paramref name="key"/>.</summary>
    public static KeyedRotation Create(WatermarkKey key, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, 8192);
        var stream = new KeyedGaussian(key, dimensions);
        var q = new double[dimensions * dimensions];
        for (var i = 0; i < q.Length; i++)
        {
            q[i] = stream.Next();
        }

        // Modified Gram–Schmidt over the rows, twice ("twice is enough", Giraud et al. 2005) for orthogonality to
        // machine precision.
        for (var pass = 0; pass < 2; pass++)
        {
            for (var r = 0; r < dimensions; r++)
            {
                var row = q.AsSpan(r * dimensions, dimensions);
                for (var p = 0; p < r; p++)
                {
                    var previous = q.AsSpan(p * dimensions, dimensions);
                    var projection = TensorPrimitives.Dot<double>(row, previous);
                    for (var c = 0; c < dimensions; c++)
                    {
                        row[c] -= projection * previous[c];
                    }
                }

                var norm = Math.Sqrt(TensorPrimitives.Dot<double>(row, row));
                TensorPrimitives.Divide(row, norm, row);
            }
        }

        return new KeyedRotation(dimensions, [.. q.Select(v => (float)v)]);
    }

    /// <summary>Rotates <paramref name="vector"/> in place; it must have <see cref="Dimensions"/> components.</summary>
    public void Apply(Span<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"The vector has {vector.Length} components; the rotation is {Dimensions}-d.", nameof(vector));
        }

        Span<float> input = Dimensions <= 1024 ? stackalloc float[Dimensions] : new float[Dimensions];
        vector.CopyTo(input);
        for (var r = 0; r < Dimensions; r++)
        {
            vector[r] = TensorPrimitives.Dot(_rows.AsSpan(r * Dimensions, Dimensions), input);
        }
    }

    /// <summary>Standard normal draws (Box–Muller) from HMAC-SHA256(key, "rotation" ‖ d ‖ counter) blocks.</summary>
    private sealed class KeyedGaussian(WatermarkKey key, int dimensions)
    {
        private readonly byte[] _block = new byte[32];
        private readonly byte[] _message = new byte[16];
        private long _counter;
        private int _offset = 32;
        private double? _spare;

        public double Next()
        {
            if (_spare is { } spare)
            {
                _spare = null;
                return spare;
            }

            double u1;
            do
            {
                u1 = Uniform();
            }
            while (u1 <= double.Epsilon);
            var u2 = Uniform();
            var radius = Math.Sqrt(-2 * Math.Log(u1));
            _spare = radius * Math.Sin(2 * Math.PI * u2);
            return radius * Math.Cos(2 * Math.PI * u2);
        }

        // 53 random bits → [0, 1).
        private double Uniform()
        {
            if (_offset + sizeof(ulong) > _block.Length)
            {
                BinaryPrimitives.WriteInt32LittleEndian(_message, 0x726F7461); // "rota"
                BinaryPrimitives.WriteInt32LittleEndian(_message.AsSpan(4), dimensions);
                BinaryPrimitives.WriteInt64LittleEndian(_message.AsSpan(8), _counter++);
                HMACSHA256.HashData(key.Material, _message, _block);
                _offset = 0;
            }

            var bits = BinaryPrimitives.ReadUInt64LittleEndian(_block.AsSpan(_offset)) >> 11;
            _offset += sizeof(ulong);
            return bits * (1.0 / (1UL << 53));
        }
    }
}
