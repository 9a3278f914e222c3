using System.Numerics.Tensors;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Extraction;

/// <summary>
/// How the vector detectors keep vectors small enough for per-client state: a query vector is multiplied by a
/// seeded Gaussian random projection to <see cref="StoredDimensions"/> values (Johnson–Lindenstrauss: distances and
/// angles kept to about ±√(2/m) relative; skipped when the stored and input dimensions are equal), scaled to unit
/// length, and quantised to signed bytes with one float scale (<c>scale = max|yᵢ| / 127</c>, codes
/// <c>round(yᵢ / scale)</c>). A stored vector is <see cref="StoredVectorSize"/> bytes (132 at the default 128).
/// Distances are then computed from integer dot products of the codes, so they are exact, symmetric and the same
/// on every machine. One instance per embedder (input dimensions) serves every detector and client; thread-safe.
/// </summary>
public sealed class VectorCodec
{
    /// <summary>Default stored dimensions: 128.</summary>
    public const int DefaultStoredDimensions = 128;

    /// <summary>Default projection seed.</summary>
    public const long DefaultSeed = 0x5EA7;

    /// <summary>Largest quantised code; codes lie in [−127, 127].</summary>
    internal const int MaxCode = 127;

    // Row r of the projection is _projection[r·InputDimensions …); null when the codec does not project.
    private readonly float[]? _projection;
    private readonly EncodingMemo _memo;

    /// <summary>A codec for vectors of <paramref name="inputDimensions"/> values.</summary>
    /// <param name="inputDimensions">Length of the vectors observed (the embedder's dimensions), 8 to 4096.</param>
    /// <param name="storedDimensions">Length kept per vector, 8 to min(<paramref name="inputDimensions"/>, 1024).</param>
    /// <param name="seed">Seed of the projection; replicas that share state must use the same.</param>
    public VectorCodec(int inputDimensions, int storedDimensions = DefaultStoredDimensions, long seed = DefaultSeed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDimensions, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputDimensions, 4096);
        ArgumentOutOfRangeException.ThrowIfLessThan(storedDimensions, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(storedDimensions, Math.Min(inputDimensions, 1024));
        InputDimensions = inputDimensions;
        StoredDimensions = storedDimensions;
        Seed = seed;
        Fingerprint = StateHeader.Fingerprint(inputDimensions, storedDimensions, seed);
        _memo = new EncodingMemo(inputDimensions, storedDimensions);
        if (storedDimensions != inputDimensions)
        {
            _projection = new float[storedDimensions * inputDimensions];
            var random = new DeterministicRandom((ulong)seed);
            for (var i = 0; i < _projection.Length; i++)
            {
                _projection[i] = (float)random.NextGaussian();
            }
        }
    }

    /// <summary>Length of the vectors this codec accepts.</summary>
    public int InputDimensions { get; }

    /// <summary>Length of the vectors it keeps.</summary>
    public int StoredDimensions { get; }

    /// <summary>The projection seed.</summary>
    public long Seed { get; }

    /// <summary>Bytes of one stored vector: a float scale and <see cref="StoredDimensions"/> codes.</summary>
    public int StoredVectorSize => sizeof(float) + StoredDimensions;

    /// <summary>Fingerprint of (input dimensions, stored dimensions, seed), part of every state's fingerprint.</summary>
    internal uint Fingerprint { get; }

    /// <summary>
    /// Writes the projected, unit-length (or zero, for a zero vector) form of <paramref name="vector"/> to
    /// <paramref name="destination"/> (<see cref="StoredDimensions"/> long), before quantisation.
    /// </summary>
    public void Reduce(ReadOnlySpan<float> vector, Span<float> destination)
    {
        if (vector.Length != InputDimensions)
        {
            throw new ArgumentException($"The vector must hold exactly {InputDimensions} values.", nameof(vector));
        }

        if (destination.Length != StoredDimensions)
        {
            throw new ArgumentException($"The destination must hold exactly {StoredDimensions} values.", nameof(destination));
        }

        if (!float.IsFinite(TensorPrimitives.Norm(vector)))
        {
            throw new ArgumentException("The vector must be finite.", nameof(vector));
        }

        if (_projection is null)
        {
            vector.CopyTo(destination);
        }
        else
        {
            var rows = _projection.AsSpan();
            for (var r = 0; r < destination.Length; r++)
            {
                destination[r] = TensorPrimitives.Dot(rows.Slice(r * InputDimensions, InputDimensions), vector);
            }
        }

        var norm = TensorPrimitives.Norm(destination);
        if (norm > 0)
        {
            TensorPrimitives.Divide(destination, norm, destination);
        }
    }

    /// <summary>
    /// Reduces and quantises <paramref name="vector"/>; the codes go to <paramref name="code"/> (<see cref="StoredDimensions"/>
    /// long). A vector encoded a moment ago (the same query seen by another detector, or a repeated prompt) is taken
    /// from the <see cref="EncodingMemo"/>, exactly as it was encoded.
    /// </summary>
    internal QuantizedVector Encode(ReadOnlySpan<float> vector, Span<sbyte> code)
    {
        // Inputs of another length are refused by EncodeUncached (and never remembered).
        var key = EncodingMemo.Key(vector);
        if (_memo.TryGet(vector, code, key, out var remembered, out var squaredNorm))
        {
            return new QuantizedVector(code, remembered, squaredNorm);
        }

        var encoded = EncodeUncached(vector, code);
        _memo.Add(vector, encoded.Code, key, encoded.Scale, encoded.SquaredCodeNorm);
        return encoded;
    }

    /// <summary>
    /// <see cref="Encode"/> without the memo: for bulk encodings of vectors met once (references, calibration
    /// streams), which would only push the live queries' encodings out.
    /// </summary>
    internal QuantizedVector EncodeUncached(ReadOnlySpan<float> vector, Span<sbyte> code)
    {
        Span<float> reduced = stackalloc float[StoredDimensions];
        Reduce(vector, reduced);
        var maxMagnitude = MathF.Abs(TensorPrimitives.MaxMagnitude(reduced));
        var scale = maxMagnitude / MaxCode;
        if (!(scale > 0))
        {
            code.Clear();
            return new QuantizedVector(code, 0f, 0);
        }

        var inverse = 1f / scale;
        for (var i = 0; i < reduced.Length; i++)
        {
            code[i] = (sbyte)Math.Clamp(MathF.Round(reduced[i] * inverse), -MaxCode, MaxCode);
        }

        return new QuantizedVector(code, scale, QuantizedMath.Dot(code, code));
    }
}
