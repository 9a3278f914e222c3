namespace GenSafety.Detectors.Extraction;

/// <summary>A stream detector that observes one vector (a prompt or returned embedding) per query.</summary>
/// <typeparam name="TState">The per-client state.</typeparam>
public interface IVectorStreamDetector<TState> : IStreamDetector<TState>
    where TState : DetectorState
{
    /// <summary>How vectors are reduced and quantised before they are compared and stored.</summary>
    VectorCodec Codec { get; }

    /// <summary>
    /// Records the query vector <paramref name="vector"/> (<see cref="VectorCodec.InputDimensions"/> long, finite)
    /// seen at <paramref name="at"/> in <paramref name="state"/> and returns the updated signal.
    /// </summary>
    DetectorSignal Observe(TState state, ReadOnlySpan<float> vector, DateTimeOffset at);
}
