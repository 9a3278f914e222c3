using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Extraction;

/// <summary>
/// A tenant's benign reference sample for <see cref="WindowMmdDetector"/>: n vectors (quantised by the same
/// <see cref="VectorCodec"/> as client windows), the Gaussian kernel bandwidth σ (median heuristic by default), the
/// reference half of the unbiased MMD² (mean kernel value over distinct reference pairs, computed once) and the
/// threshold calibrated on benign-vs-benign windows (<see cref="DetectorCalibration.MmdThreshold"/>). Immutable and
/// thread-safe. Stored as <see cref="ToArray"/>: [0] format version, [1] kind 5, [2–3] zero, [4–7] codec fingerprint,
/// [8–11] n, [12–19] σ, [20–27] threshold (NaN: not calibrated), then n × (float scale, codes).
/// </summary>
public sealed class MmdReference
{
    /// <summary>Smallest reference sample.</summary>
    public const int MinVectors = 16;

    /// <summary>Largest reference sample.</summary>
    public const int MaxVectors = 4096;

    /// <summary>Vectors whose pairwise distances give the median-heuristic bandwidth (the first ones, for large samples).</summary>
    public const int MedianHeuristicVectors = 1024;

    private const int FixedSize = 8 + 4 + 8 + 8;

    private readonly double _inverseTwoSigmaSquared;

    private MmdReference(VectorCodec codec, QuantizedVectorSet vectors, double bandwidth, double threshold)
    {
        Codec = codec;
        Vectors = vectors;
        Bandwidth = bandwidth;
        Threshold = threshold;
        _inverseTwoSigmaSquared = 1.0 / (2.0 * bandwidth * bandwidth);
        MeanKernel = ComputeMeanKernel();
        Id = ComputeId();
    }

    /// <summary>The codec of the vectors (and of the windows compared with them).</summary>
    public VectorCodec Codec { get; }

    /// <summary>Reference vectors n.</summary>
    public int Count => Vectors.Count;

    /// <summary>The Gaussian kernel's σ: k(x, y) = exp(−‖x − y‖² / (2σ²)).</summary>
    public double Bandwidth { get; }

    /// <summary>The MMD² threshold calibrated on benign windows; NaN until calibrated.</summary>
    public double Threshold { get; }

    /// <summary>Whether <see cref="Threshold"/> is set.</summary>
    public bool IsCalibrated => !double.IsNaN(Threshold);

    /// <summary>Mean kernel value over distinct reference pairs: the reference term of the unbiased MMD².</summary>
    internal double MeanKernel { get; }

    /// <summary>Identifies the vectors and bandwidth (not the threshold): a window's cached sums are valid for one id.</summary>
    internal uint Id { get; }

    internal QuantizedVectorSet Vectors { get; }

    /// <summary>
    /// A reference from <paramref name="benignVectors"/> (<see cref="MinVectors"/> to <see cref="MaxVectors"/>, each
    /// <see cref="VectorCodec.InputDimensions"/> long). <paramref name="bandwidth"/> 0 takes the median pairwise
    /// distance of (the first <see cref="MedianHeuristicVectors"/>) reference vectors.
    /// </summary>
    public static MmdReference Create(VectorCodec codec, IReadOnlyList<float[]> benignVectors, double bandwidth = 0)
    {
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(benignVectors);
        if (benignVectors.Count is < MinVectors or > MaxVectors)
        {
            throw new ArgumentException($"A reference needs {MinVectors} to {MaxVectors} vectors; got {benignVectors.Count}.", nameof(benignVectors));
        }

        if (!(bandwidth >= 0 && double.IsFinite(bandwidth)))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidth), "The bandwidth must be 0 (median heuristic) or positive.");
        }

        var vectors = new QuantizedVectorSet(benignVectors.Count, codec.StoredDimensions);
        Span<sbyte> code = stackalloc sbyte[codec.StoredDimensions];
        foreach (var vector in benignVectors)
        {
            vectors.Add(codec.EncodeUncached(vector, code));
        }

        var sigma = bandwidth > 0 ? bandwidth : MedianDistance(vectors);
        if (!(sigma > 0))
        {
            throw new ArgumentException("The reference vectors are all equal; no bandwidth can be derived.", nameof(benignVectors));
        }

        return new MmdReference(codec, vectors, sigma, double.NaN);
    }

    /// <summary>Restores a reference from the bytes of <see cref="ToArray"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a reference for <paramref name="codec"/>.</exception>
    public static MmdReference FromBytes(VectorCodec codec, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(codec);
        var reader = new StateReader(data);
        StateHeader.ReadPrefix(ref reader, StateKind.MmdReference, codec.Fingerprint);
        var count = reader.ReadCount(MaxVectors);
        var bandwidth = reader.ReadDouble();
        var threshold = reader.ReadDouble();
        if (count < MinVectors || !(bandwidth > 0 && double.IsFinite(bandwidth)) || !(double.IsNaN(threshold) || threshold > 0))
        {
            throw StateReader.Invalid("an MMD reference with a bad size, bandwidth or threshold");
        }

        var vectors = new QuantizedVectorSet(count, codec.StoredDimensions);
        vectors.Read(ref reader, count);
        return reader.Remaining == 0 ? new MmdReference(codec, vectors, bandwidth, threshold) : throw StateReader.Invalid("bytes follow the reference");
    }

    /// <summary>This reference with the MMD² threshold <paramref name="threshold"/> (positive).</summary>
    public MmdReference WithThreshold(double threshold)
    {
        if (!(threshold > 0 && double.IsFinite(threshold)))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "The threshold must be positive and finite.");
        }

        return new MmdReference(Codec, Vectors, Bandwidth, threshold);
    }

    /// <summary>The reference's bytes (layout in the class remarks).</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[FixedSize + QuantizedVectorSet.StoredSize(Count, Codec.StoredDimensions)];
        var writer = new StateWriter(bytes);
        StateHeader.WritePrefix(ref writer, StateKind.MmdReference, Codec.Fingerprint);
        writer.WriteInt32(Count);
        writer.WriteDouble(Bandwidth);
        writer.WriteDouble(Threshold);
        Vectors.Write(ref writer);
        return bytes;
    }

    /// <summary>k for a squared distance.</summary>
    internal double Kernel(double squaredDistance) => Math.Exp(-squaredDistance * _inverseTwoSigmaSquared);

    /// <summary>Σⱼ k(<paramref name="vector"/>, yⱼ) over the reference vectors.</summary>
    internal double CrossSum(in QuantizedVector vector)
    {
        var sum = 0.0;
        for (var slot = 0; slot < Vectors.Count; slot++)
        {
            sum += Kernel(Vectors.SquaredDistance(slot, vector));
        }

        return sum;
    }

    private static double MedianDistance(QuantizedVectorSet vectors)
    {
        var n = Math.Min(vectors.Count, MedianHeuristicVectors);
        var distances = new double[n * (n - 1) / 2];
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                distances[k++] = Math.Sqrt(vectors.SquaredDistance(i, j));
            }
        }

        Array.Sort(distances);
        var middle = distances.Length / 2;
        return distances.Length % 2 == 1 ? distances[middle] : (distances[middle - 1] + distances[middle]) / 2;
    }

    private double ComputeMeanKernel()
    {
        var n = Vectors.Count;
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                sum += Kernel(Vectors.SquaredDistance(i, j));
            }
        }

        return 2.0 * sum / ((double)n * (n - 1));
    }

    private uint ComputeId()
    {
        var hash = StableHash.Mix((ulong)BitConverter.DoubleToInt64Bits(Bandwidth));
        for (var slot = 0; slot < Vectors.Count; slot++)
        {
            var vector = Vectors.At(slot);
            hash = StableHash.Mix(hash ^ BitConverter.SingleToUInt32Bits(vector.Scale));
            foreach (var code in vector.Code)
            {
                hash = StableHash.Fnv1a(hash, (char)(byte)code);
            }
        }

        return (uint)(StableHash.Mix(hash) >> 32);
    }
}
