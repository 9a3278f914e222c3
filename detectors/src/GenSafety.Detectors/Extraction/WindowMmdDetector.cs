namespace GenSafety.Detectors.Extraction;

/// <summary>
/// Window MMD (after arXiv 2606.05725): the unbiased estimator of the squared maximum mean discrepancy, with a
/// Gaussian kernel, between a client's latest m query vectors X and the tenant's benign reference Y:
/// MMD²ᵤ = Σᵢ≠ⱼ k(xᵢ,xⱼ)/(m(m−1)) + Σᵢ≠ⱼ k(yᵢ,yⱼ)/(n(n−1)) − 2 Σᵢⱼ k(xᵢ,yⱼ)/(mn).
/// The threshold is calibrated on benign-vs-benign windows (<see cref="DetectorCalibration.MmdThreshold"/>) and kept
/// with the reference; score = clamp(MMD² / (2·threshold)), so 0.5 is the calibrated alarm. Scored once the window
/// is full. One detector per tenant reference; the state's cached sums are recomputed when the reference changes.
/// </summary>
public sealed class WindowMmdDetector : StreamDetector<WindowMmdState>, IVectorStreamDetector<WindowMmdState>
{
    private const string WarmingUp = "warming up: the window is not full";
    private const string Uncalibrated = "reference not calibrated: MMD² measured, not scored";
    private const string Matches = "window matches the tenant's benign reference";
    private const string Differs = "window differs from the tenant's benign reference (MMD² above threshold)";

    // Fixed part of the body: window count, reference id, pair sum.
    private const int FixedBodySize = 4 + 4 + 8;

    private readonly int _windowSize;

    /// <summary>Creates the detector for one tenant's <paramref name="reference"/> (whose codec it uses).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public WindowMmdDetector(WindowMmdOptions options, MmdReference reference)
    {
        OptionsCheck.ThrowIfInvalid(new WindowMmdOptionsValidator(), options, WindowMmdOptions.SectionName);
        ArgumentNullException.ThrowIfNull(reference);
        Reference = reference;
        _windowSize = options.WindowSize;
        Fingerprint = StateHeader.Fingerprint(reference.Codec.Fingerprint, _windowSize);
    }

    /// <inheritdoc />
    public override string Name => ExtractionDetectorNames.WindowMmd;

    /// <inheritdoc />
    public VectorCodec Codec => Reference.Codec;

    /// <summary>The tenant's benign reference.</summary>
    public MmdReference Reference { get; }

    /// <summary>m, the window size.</summary>
    public int WindowSize => _windowSize;

    private protected override StateKind Kind => StateKind.WindowMmd;

    private protected override uint Fingerprint { get; }

    private protected override int MaxBodySize => FixedBodySize + (_windowSize * EntrySize);

    private int EntrySize => Codec.StoredVectorSize + sizeof(double);

    /// <summary>
    /// The <see cref="StreamDetector{TState}.MaxStateSize"/> of a detector with <paramref name="options"/> over any
    /// reference with <paramref name="codec"/>, for sizing storage before a reference exists.
    /// </summary>
    public static int MaxStateSizeFor(WindowMmdOptions options, VectorCodec codec)
    {
        OptionsCheck.ThrowIfInvalid(new WindowMmdOptionsValidator(), options, WindowMmdOptions.SectionName);
        ArgumentNullException.ThrowIfNull(codec);
        return StateHeader.Size + FixedBodySize + (options.WindowSize * (codec.StoredVectorSize + sizeof(double)));
    }

    /// <inheritdoc />
    public override WindowMmdState CreateState() => new(_windowSize, Codec.StoredDimensions) { ReferenceId = Reference.Id };

    /// <inheritdoc />
    public DetectorSignal Observe(WindowMmdState state, ReadOnlySpan<float> vector, DateTimeOffset at)
    {
        Touch(state, at);
        if (state.ReferenceId != Reference.Id)
        {
            Recompute(state);
        }

        Span<sbyte> code = stackalloc sbyte[Codec.StoredDimensions];
        var query = Codec.Encode(vector, code);
        var window = state.Window;
        var evicted = window.IsFull ? window.NextSlot : -1;
        var pairSum = state.PairSum;

        // Sums run oldest to newest, as the state is stored, so a restored state adds in the same order.
        for (var i = 0; i < window.Count; i++)
        {
            var slot = window.SlotAt(i);
            if (slot != evicted)
            {
                pairSum += Reference.Kernel(window.SquaredDistance(slot, query));
                if (evicted >= 0)
                {
                    pairSum -= Reference.Kernel(window.SquaredDistance(slot, evicted));
                }
            }
        }

        // Rounding can leave a hair below zero when every pair has left; the sum is of non-negative terms.
        state.PairSum = Math.Max(0.0, pairSum);
        var added = window.Add(query);
        state.CrossSums[added] = Reference.CrossSum(query);
        return Evaluate(state);
    }

    /// <inheritdoc />
    public override DetectorSignal Evaluate(WindowMmdState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.Window.IsFull)
        {
            return new DetectorSignal(0.0, WarmingUp, double.NaN, Reference.Threshold, state.Observations);
        }

        if (state.ReferenceId != Reference.Id)
        {
            Recompute(state);
        }

        var mmd = Statistic(state);
        if (!Reference.IsCalibrated)
        {
            return new DetectorSignal(0.0, Uncalibrated, mmd, double.NaN, state.Observations);
        }

        var threshold = Reference.Threshold;
        var score = Math.Clamp(mmd / (2 * threshold), 0.0, 1.0);
        return new DetectorSignal(score, mmd > threshold ? Differs : Matches, mmd, threshold, state.Observations);
    }

    private protected override int BodySize(WindowMmdState state) => FixedBodySize + (state.Window.Count * EntrySize);

    private protected override void WriteBody(ref StateWriter writer, WindowMmdState state)
    {
        var window = state.Window;
        writer.WriteInt32(window.Count);
        writer.WriteUInt32(state.ReferenceId);
        writer.WriteDouble(state.PairSum);
        for (var i = 0; i < window.Count; i++)
        {
            var slot = window.SlotAt(i);
            window.WriteEntry(ref writer, slot);
            writer.WriteDouble(state.CrossSums[slot]);
        }
    }

    private protected override void ReadBody(ref StateReader reader, WindowMmdState state)
    {
        var count = reader.ReadCount(_windowSize);
        state.ReferenceId = reader.ReadUInt32();
        state.PairSum = reader.ReadDouble();
        if (!(state.PairSum >= 0 && double.IsFinite(state.PairSum)))
        {
            throw StateReader.Invalid("a window kernel sum that is negative or not finite");
        }

        for (var i = 0; i < count; i++)
        {
            var slot = state.Window.ReadEntry(ref reader);
            var cross = reader.ReadDouble();
            state.CrossSums[slot] = cross >= 0 && double.IsFinite(cross) ? cross : throw StateReader.Invalid("a reference kernel sum that is negative or not finite");
        }
    }

    /// <summary>
    /// Quantises a whole stream once, with each vector's reference kernel sum, so that calibration can score many
    /// windows of it (<see cref="WindowStatistic"/>) at m²/2 kernel values each.
    /// </summary>
    internal (QuantizedVectorSet Vectors, double[] CrossSums) EncodeStream(IReadOnlyList<float[]> stream)
    {
        var vectors = new QuantizedVectorSet(stream.Count, Codec.StoredDimensions);
        var cross = new double[stream.Count];
        Span<sbyte> code = stackalloc sbyte[Codec.StoredDimensions];
        for (var i = 0; i < stream.Count; i++)
        {
            var encoded = Codec.EncodeUncached(stream[i], code);
            cross[vectors.Add(encoded)] = Reference.CrossSum(encoded);
        }

        return (vectors, cross);
    }

    /// <summary>MMD² of the window of m vectors of an encoded stream starting at <paramref name="start"/>.</summary>
    internal double WindowStatistic(QuantizedVectorSet vectors, double[] crossSums, int start)
    {
        double pairSum = 0, cross = 0;
        for (var i = start; i < start + _windowSize; i++)
        {
            cross += crossSums[i];
            for (var j = i + 1; j < start + _windowSize; j++)
            {
                pairSum += Reference.Kernel(vectors.SquaredDistance(i, j));
            }
        }

        return Statistic(pairSum, cross, _windowSize);
    }

    private double Statistic(WindowMmdState state)
    {
        var cross = 0.0;
        for (var i = 0; i < state.Window.Count; i++)
        {
            cross += state.CrossSums[state.Window.SlotAt(i)];
        }

        return Statistic(state.PairSum, cross, state.Window.Count);
    }

    /// <summary>The unbiased MMD² from the window's pair kernel sum and its summed reference kernel sums.</summary>
    private double Statistic(double pairSum, double crossSum, int windowCount)
    {
        var m = (double)windowCount;
        return (2.0 * pairSum / (m * (m - 1))) + Reference.MeanKernel - (2.0 * crossSum / (m * Reference.Count));
    }

    /// <summary>Recomputes the cached sums against this detector's reference (after the tenant's reference changed).</summary>
    private void Recompute(WindowMmdState state)
    {
        var window = state.Window;
        var pairSum = 0.0;
        for (var i = 0; i < window.Count; i++)
        {
            var slot = window.SlotAt(i);
            state.CrossSums[slot] = Reference.CrossSum(window.At(slot));
            for (var j = i + 1; j < window.Count; j++)
            {
                pairSum += Reference.Kernel(window.SquaredDistance(slot, window.SlotAt(j)));
            }
        }

        state.PairSum = pairSum;
        state.ReferenceId = Reference.Id;
    }
}
