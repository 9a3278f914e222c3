using System.Collections.Concurrent;
using System.Globalization;
using GenSafety.Detectors.Extraction;

namespace GenSafety.Gateway.Detection.Vectors;

/// <summary>
/// A gateway detector around one of the library's vector stream detectors (<see cref="IVectorStreamDetector{TState}"/>):
/// it asks the pipeline for the vectors of the events' query texts (<see cref="QueryEvent.QueryText"/>, the tenant's
/// embedder), restores the client's state with the library's <c>TryDeserialize</c> (a state that does not restore —
/// another embedder, other options, damaged — starts afresh), observes the batch's vectors in order and stores the
/// state in replace mode. The reason carries the library's phrase and numbers, never text.
/// </summary>
/// <typeparam name="TDetector">The library detector.</typeparam>
/// <typeparam name="TState">Its per-client state.</typeparam>
public abstract class VectorQueryDetector<TDetector, TState> : IQueryDetector
    where TDetector : class, IVectorStreamDetector<TState>
    where TState : DetectorState
{
    private readonly ConcurrentDictionary<int, TDetector?> _byDimensions = new();

    /// <summary>Creates the detector named <paramref name="name"/> whose states take at most <paramref name="maxStateBytes"/>.</summary>
    protected VectorQueryDetector(string name, int maxStateBytes)
    {
        Name = name;
        Descriptor = new DetectorDescriptor(false, DetectorStateMode.Replace, maxStateBytes);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public DetectorDescriptor Descriptor { get; }

    /// <inheritdoc />
    public bool NeedsPromptVector(QueryEvent queryEvent) => false;

    /// <inheritdoc />
    public bool NeedsQueryVector(QueryEvent queryEvent) => queryEvent is not null && Observes(queryEvent) && IsActiveFor(queryEvent.Tenant);

    /// <inheritdoc />
    public DetectorResult Detect(DetectorInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var vectors = new List<(float[] Vector, DateTimeOffset At)>(input.Events.Count);
        for (var i = 0; i < input.Events.Count && i < input.QueryVectors.Count; i++)
        {
            if (input.QueryVectors[i] is { } vector && Usable(vector) && Observes(input.Events[i]))
            {
                vectors.Add((vector, input.Events[i].At));
            }
        }

        if (vectors.Count == 0)
        {
            return new DetectorResult(0, "no query vectors in this batch", null);
        }

        // One embedder per tenant: vectors of another length (a configuration change mid-batch) are left out.
        var dimensions = vectors[^1].Vector.Length;
        if (DetectorFor(input.Tenant, dimensions) is not { } detector)
        {
            return new DetectorResult(0, InactiveReason, null);
        }

        var state = !input.State.IsEmpty && detector.TryDeserialize(input.State.Span, out var restored) ? restored : detector.CreateState();
        var signal = default(DetectorSignal);
        foreach (var (vector, at) in vectors)
        {
            if (vector.Length == dimensions)
            {
                signal = detector.Observe(state, vector, at);
            }
        }

        return new DetectorResult(Score(signal), Describe(signal), detector.Serialize(state));
    }

    /// <summary>The reason when <see cref="DetectorFor"/> has no detector for the tenant.</summary>
    protected virtual string InactiveReason => "inactive for this tenant or embedder";

    /// <summary>Whether <paramref name="queryEvent"/> is observed.</summary>
    protected abstract bool Observes(QueryEvent queryEvent);

    /// <summary>Whether the detector runs for <paramref name="tenant"/> at all (no vectors are embedded for it otherwise).</summary>
    protected virtual bool IsActiveFor(string tenant) => true;

    /// <summary>The library detector for <paramref name="tenant"/>'s vectors of <paramref name="dimensions"/> values, or null.</summary>
    protected abstract TDetector? DetectorFor(string tenant, int dimensions);

    /// <summary>
    /// The detector for vectors of <paramref name="dimensions"/> values, made once per length with
    /// <paramref name="create"/> over the shared codec (<see cref="VectorCodecs"/>); null for lengths the codec refuses.
    /// </summary>
    protected TDetector? ForDimensions(int dimensions, Func<VectorCodec, TDetector> create)
        => _byDimensions.GetOrAdd(dimensions, static (d, make) => VectorCodecs.For(d) is { } codec ? make(codec) : null, create);

    /// <summary>The gateway score of a signal (default: the library's score).</summary>
    protected virtual double Score(DetectorSignal signal) => signal.Score;

    /// <summary>The reason: the library's phrase, then statistic, threshold and observations under the given names.</summary>
    protected abstract string Describe(DetectorSignal signal);

    /// <summary>"phrase; name 0.123 (threshold 0.456), 789 queries".</summary>
    protected static string Describe(DetectorSignal signal, string statistic, string threshold) => string.Create(CultureInfo.InvariantCulture,
        $"{signal.Reason}; {statistic} {Number(signal.Statistic)} ({threshold} {Number(signal.Threshold)}), {signal.Observations} queries");

    private static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.####", CultureInfo.InvariantCulture);

    // Zero vectors (empty text) have no direction; non-finite ones would make the codec throw.
    private static bool Usable(float[] vector)
    {
        var any = false;
        foreach (var value in vector)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }

            any |= value != 0;
        }

        return any;
    }
}
