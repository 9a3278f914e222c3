using System.Buffers;
using GenSafety.Detectors.Statistics;

namespace GenSafety.Detectors.Extraction;

/// <summary>
/// PRADA (Juuti et al., EuroS&amp;P 2019), as its reference code runs it, over query vectors. The first query seeds
/// the growing set G with threshold T = 0. Each later query's minimum L2 distance d to G joins the distance set D;
/// when d &gt; T the query joins G (its join distance is recorded) and T becomes max(T, mean − std of the join
/// distances, the seed's 0 included). Every <see cref="PradaOptions.TestInterval"/> queries, D without the values
/// beyond <see cref="PradaOptions.OutlierSigmas"/> standard deviations is tested with Shapiro–Wilk once more than
/// <see cref="PradaOptions.MinDistances"/> remain; W &lt; δ is the alarm. Benign queries give roughly normal distances;
/// synthetic ones (perturbations of a few seeds, or points spread evenly) do not.
/// Differences from the paper, for a bounded state: G keeps its latest <see cref="PradaOptions.GrowingSetCapacity"/>
/// members and D its latest <see cref="PradaOptions.DistanceCapacity"/> values; prompts carry no predicted class, so
/// there is one G per client instead of one per class; vectors pass through the <see cref="VectorCodec"/>.
/// </summary>
public sealed class PradaDetector : StreamDetector<PradaState>, IVectorStreamDetector<PradaState>
{
    private const string WarmingUp = "warming up: too few distances for the Shapiro–Wilk test";
    private const string Normal = "minimum distances look normal (W ≥ δ)";
    private const string NotNormal = "minimum distances are not normal (W < δ): synthetic queries";

    // Fixed part of the body: two counts, joined members, join mean and M2, T, last W, tested count, last distance.
    private const int FixedBodySize = 4 + 4 + 8 + 8 + 8 + 8 + 8 + 4 + 4;

    // Distances up to this many are trimmed on the stack; more use a pooled buffer.
    private const int StackDistances = 512;

    private readonly int _growingSetCapacity;
    private readonly int _distanceCapacity;
    private readonly int _minDistances;
    private readonly int _testInterval;
    private readonly double _outlierSigmas;
    private readonly double _delta;
    private readonly double _band;

    /// <summary>Creates the detector over vectors reduced by <paramref name="codec"/>.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public PradaDetector(PradaOptions options, VectorCodec codec)
    {
        OptionsCheck.ThrowIfInvalid(new PradaOptionsValidator(), options, PradaOptions.SectionName);
        ArgumentNullException.ThrowIfNull(codec);
        Codec = codec;
        _growingSetCapacity = options.GrowingSetCapacity;
        _distanceCapacity = options.DistanceCapacity;
        _minDistances = options.MinDistances;
        _testInterval = options.TestInterval;
        _outlierSigmas = options.OutlierSigmas;
        _delta = options.Delta;
        _band = options.ScoreBand;
        Fingerprint = StateHeader.Fingerprint(codec.Fingerprint, _growingSetCapacity, _distanceCapacity);
    }

    /// <inheritdoc />
    public override string Name => ExtractionDetectorNames.Prada;

    /// <inheritdoc />
    public VectorCodec Codec { get; }

    private protected override StateKind Kind => StateKind.Prada;

    private protected override uint Fingerprint { get; }

    private protected override int MaxBodySize =>
        FixedBodySize + QuantizedVectorSet.StoredSize(_growingSetCapacity, Codec.StoredDimensions) + (sizeof(float) * _distanceCapacity);

    /// <inheritdoc />
    public override PradaState CreateState() => new(_growingSetCapacity, _distanceCapacity, Codec.StoredDimensions);

    /// <inheritdoc />
    public DetectorSignal Observe(PradaState state, ReadOnlySpan<float> vector, DateTimeOffset at)
    {
        Touch(state, at);
        Span<sbyte> code = stackalloc sbyte[Codec.StoredDimensions];
        var query = Codec.Encode(vector, code);
        var growingSet = state.GrowingSet;
        if (growingSet.Count == 0)
        {
            // The first query seeds G with join distance 0 and T = 0.
            growingSet.Add(query);
            state.Join(0.0);
        }
        else
        {
            var nearest = double.PositiveInfinity;
            for (var slot = 0; slot < growingSet.Count; slot++)
            {
                nearest = Math.Min(nearest, growingSet.SquaredDistance(slot, query));
            }

            var distance = (float)Math.Sqrt(nearest);
            state.LatestDistance = distance;
            state.Distances.Add(distance);
            if (distance > state.JoinThreshold)
            {
                growingSet.Add(query);
                state.JoinThreshold = Math.Max(state.JoinThreshold, state.Join(distance));
            }
        }

        if (state.Observations % _testInterval == 0)
        {
            Test(state);
        }

        return Evaluate(state);
    }

    /// <inheritdoc />
    public override DetectorSignal Evaluate(PradaState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var w = state.LastW;
        if (double.IsNaN(w))
        {
            return new DetectorSignal(0.0, WarmingUp, double.NaN, _delta, state.Observations);
        }

        var score = Math.Clamp((_delta + _band - w) / (2 * _band), 0.0, 1.0);
        return new DetectorSignal(score, w < _delta ? NotNormal : Normal, w, _delta, state.Observations);
    }

    private protected override int BodySize(PradaState state) =>
        FixedBodySize + QuantizedVectorSet.StoredSize(state.GrowingSet.Count, Codec.StoredDimensions) + (sizeof(float) * state.Distances.Count);

    private protected override void WriteBody(ref StateWriter writer, PradaState state)
    {
        writer.WriteInt32(state.GrowingSet.Count);
        writer.WriteInt32(state.Distances.Count);
        writer.WriteInt64(state.MembersJoined);
        writer.WriteDouble(state.JoinMean);
        writer.WriteDouble(state.JoinM2);
        writer.WriteDouble(state.JoinThreshold);
        writer.WriteDouble(state.LastW);
        writer.WriteInt32(state.LatestTestedCount);
        writer.WriteSingle(state.LatestDistance);
        state.GrowingSet.Write(ref writer);
        for (var i = 0; i < state.Distances.Count; i++)
        {
            writer.WriteSingle(state.Distances[i]);
        }
    }

    private protected override void ReadBody(ref StateReader reader, PradaState state)
    {
        var members = reader.ReadCount(_growingSetCapacity);
        var distances = reader.ReadCount(_distanceCapacity);
        state.MembersJoined = reader.ReadInt64();
        state.JoinMean = reader.ReadDouble();
        state.JoinM2 = reader.ReadDouble();
        state.JoinThreshold = reader.ReadDouble();
        state.LastW = reader.ReadDouble();
        state.LatestTestedCount = reader.ReadCount(_distanceCapacity);
        state.LatestDistance = reader.ReadSingle();
        if (state.MembersJoined < members || (members == 0 && (state.MembersJoined != 0 || distances != 0)) ||
            !double.IsFinite(state.JoinMean) || !(state.JoinM2 >= 0) || !(state.JoinThreshold >= 0) ||
            !(double.IsNaN(state.LastW) || state.LastW is > 0 and <= 1))
        {
            throw StateReader.Invalid("inconsistent PRADA counters");
        }

        state.GrowingSet.Read(ref reader, members);
        for (var i = 0; i < distances; i++)
        {
            var distance = reader.ReadSingle();
            state.Distances.Add(float.IsFinite(distance) && distance >= 0 ? distance : throw StateReader.Invalid("a distance that is negative or not finite"));
        }
    }

    /// <summary>The periodic test: D without outliers, Shapiro–Wilk once more than <see cref="PradaOptions.MinDistances"/> remain.</summary>
    private void Test(PradaState state)
    {
        var distances = state.Distances;
        var n = distances.Count;
        if (n <= _minDistances)
        {
            return;
        }

        double sum = 0, sumSquares = 0;
        for (var i = 0; i < n; i++)
        {
            double d = distances[i];
            sum += d;
            sumSquares += d * d;
        }

        var mean = sum / n;
        var limit = _outlierSigmas * Math.Sqrt(Math.Max(0.0, (sumSquares / n) - (mean * mean)));
        double[]? rented = null;
        // Sized to D: a stack buffer is zeroed.
        var kept = n <= StackDistances ? stackalloc double[n] : (rented = ArrayPool<double>.Shared.Rent(n));
        try
        {
            var count = 0;
            for (var i = 0; i < n; i++)
            {
                double d = distances[i];
                if (Math.Abs(d - mean) < limit)
                {
                    kept[count++] = d;
                }
            }

            if (count > _minDistances && ShapiroWilk.TryTest(kept[..count], out var result))
            {
                state.LastW = result.W;
                state.LatestTestedCount = count;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }
}
