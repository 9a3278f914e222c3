using System.Numerics;

namespace GenSafety.Detectors.Extraction;

/// <summary>
/// SEAT-style near-duplicate density (Zhang, Chen, Wagner, AISec 2021, <c>defense/detector.py</c>): for each query,
/// the mean L2 distance to its k nearest earlier queries of the same client. SEAT flags an account when that mean
/// falls to the 0.1th percentile of benign values; here each query is flagged the same way, and the score is the
/// share of the latest <see cref="NearDuplicateOptions.RecentQueries"/> measured queries that were flagged (a single
/// benign repeat moves it by 1/32; a flood of paraphrases or template fills drives it to 1). Differences from SEAT:
/// a bounded history of the latest <see cref="NearDuplicateOptions.HistoryCapacity"/> queries, no trained similarity
/// encoder (the gateway's embedder through the <see cref="VectorCodec"/>), and no history reset on a flag (the
/// gateway acts on the score).
/// </summary>
public sealed class NearDuplicateDetector : StreamDetector<NearDuplicateState>, IVectorStreamDetector<NearDuplicateState>
{
    private const string WarmingUp = "warming up: fewer earlier queries than neighbours";
    private const string Clear = "no near-duplicate queries among the recent ones";
    private const string Flagged = "near-duplicate queries: k-NN mean distance at or below the benign percentile";

    // Fixed part of the body: history count, flags, measured, latest mean distance.
    private const int FixedBodySize = 4 + 8 + 4 + 4;

    private readonly int _capacity;
    private readonly int _neighbours;
    private readonly double _threshold;
    private readonly int _recent;
    private readonly ulong _recentMask;

    /// <summary>Creates the detector over vectors reduced by <paramref name="codec"/>.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public NearDuplicateDetector(NearDuplicateOptions options, VectorCodec codec)
    {
        OptionsCheck.ThrowIfInvalid(new NearDuplicateOptionsValidator(), options, NearDuplicateOptions.SectionName);
        ArgumentNullException.ThrowIfNull(codec);
        Codec = codec;
        _capacity = options.HistoryCapacity;
        _neighbours = options.Neighbours;
        _threshold = options.Threshold;
        _recent = options.RecentQueries;
        _recentMask = _recent == 64 ? ulong.MaxValue : (1UL << _recent) - 1;
        Fingerprint = StateHeader.Fingerprint(codec.Fingerprint, _capacity);
    }

    /// <inheritdoc />
    public override string Name => ExtractionDetectorNames.NearDuplicate;

    /// <inheritdoc />
    public VectorCodec Codec { get; }

    /// <summary>k, the nearest earlier queries averaged.</summary>
    public int Neighbours => _neighbours;

    private protected override StateKind Kind => StateKind.NearDuplicate;

    private protected override uint Fingerprint { get; }

    private protected override int MaxBodySize => FixedBodySize + QuantizedVectorSet.StoredSize(_capacity, Codec.StoredDimensions);

    /// <inheritdoc />
    public override NearDuplicateState CreateState() => new(_capacity, Codec.StoredDimensions);

    /// <inheritdoc />
    public DetectorSignal Observe(NearDuplicateState state, ReadOnlySpan<float> vector, DateTimeOffset at)
    {
        Touch(state, at);
        Span<sbyte> code = stackalloc sbyte[Codec.StoredDimensions];
        var query = Codec.Encode(vector, code);
        var history = state.History;
        if (history.Count >= _neighbours)
        {
            var mean = (float)NearestMeanDistance(history, query);
            state.LatestMeanDistance = mean;
            state.Flags = (state.Flags << 1) | (mean <= _threshold ? 1UL : 0UL);
            state.Measured = Math.Min(state.Measured + 1, _recent);
        }

        history.Add(query);
        return Evaluate(state);
    }

    /// <inheritdoc />
    public override DetectorSignal Evaluate(NearDuplicateState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Measured == 0)
        {
            return new DetectorSignal(0.0, WarmingUp, double.NaN, _threshold, state.Observations);
        }

        var flagged = BitOperations.PopCount(state.Flags & _recentMask);
        var score = (double)flagged / _recent;
        return new DetectorSignal(score, flagged > 0 ? Flagged : Clear, state.LatestMeanDistance, _threshold, state.Observations);
    }

    private protected override int BodySize(NearDuplicateState state) =>
        FixedBodySize + QuantizedVectorSet.StoredSize(state.History.Count, Codec.StoredDimensions);

    private protected override void WriteBody(ref StateWriter writer, NearDuplicateState state)
    {
        writer.WriteInt32(state.History.Count);
        writer.WriteUInt64(state.Flags);
        writer.WriteInt32(state.Measured);
        writer.WriteSingle(state.LatestMeanDistance);
        state.History.Write(ref writer);
    }

    private protected override void ReadBody(ref StateReader reader, NearDuplicateState state)
    {
        var count = reader.ReadCount(_capacity);
        state.Flags = reader.ReadUInt64();
        state.Measured = Math.Min(reader.ReadCount(64), _recent);
        state.LatestMeanDistance = reader.ReadSingle();
        state.History.Read(ref reader, count);
    }

    /// <summary>Mean distance from <paramref name="query"/> to its k nearest vectors of <paramref name="history"/> (at least k).</summary>
    private double NearestMeanDistance(QuantizedVectorSet history, in QuantizedVector query)
    {
        // The k smallest squared distances, kept sorted ascending by insertion (k ≤ 64).
        Span<double> nearest = stackalloc double[_neighbours];
        nearest.Fill(double.PositiveInfinity);
        for (var slot = 0; slot < history.Count; slot++)
        {
            var squared = history.SquaredDistance(slot, query);
            if (squared >= nearest[^1])
            {
                continue;
            }

            var i = nearest.Length - 1;
            for (; i > 0 && nearest[i - 1] > squared; i--)
            {
                nearest[i] = nearest[i - 1];
            }

            nearest[i] = squared;
        }

        var sum = 0.0;
        foreach (var squared in nearest)
        {
            sum += Math.Sqrt(squared);
        }

        return sum / nearest.Length;
    }
}
