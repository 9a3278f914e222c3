using System.Diagnostics.CodeAnalysis;

namespace GenSafety.Detectors.Extraction;

/// <summary>
/// A detector over one client's query stream. The detector is immutable and thread-safe (its options, projection and
/// reference data are shared by every client); each client has a <typeparamref name="TState"/> that the gateway
/// loads, observes into and stores (Redis) as the bytes of <see cref="Serialize(TState)"/>: a versioned layout of at
/// most <see cref="MaxStateSize"/> bytes. Observing a state restored from its bytes gives exactly the same signals
/// as observing the original.
/// </summary>
/// <typeparam name="TState">The per-client state.</typeparam>
public interface IStreamDetector<TState>
    where TState : DetectorState
{
    /// <summary>The detector's name (one of <see cref="ExtractionDetectorNames"/>).</summary>
    string Name { get; }

    /// <summary>The largest serialised state these options allow, in bytes.</summary>
    int MaxStateSize { get; }

    /// <summary>A new state for a client not seen before.</summary>
    TState CreateState();

    /// <summary>The signal of <paramref name="state"/> as of its latest observation, without observing anything.</summary>
    DetectorSignal Evaluate(TState state);

    /// <summary>The size of <paramref name="state"/> serialised, in bytes (at most <see cref="MaxStateSize"/>).</summary>
    int GetStateSize(TState state);

    /// <summary>Writes <paramref name="state"/> to <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="GetStateSize"/>.</exception>
    int Serialize(TState state, Span<byte> destination);

    /// <summary>The bytes of <paramref name="state"/>, for storing.</summary>
    byte[] Serialize(TState state);

    /// <summary>Restores a state from the bytes of <see cref="Serialize(TState)"/>.</summary>
    /// <exception cref="InvalidDataException">
    /// The bytes are not a state of this detector: another format version or detector, other options, truncated or
    /// inconsistent.
    /// </exception>
    TState Deserialize(ReadOnlySpan<byte> data);

    /// <summary>Restores a state like <see cref="Deserialize"/>; false (start afresh) where that would throw.</summary>
    bool TryDeserialize(ReadOnlySpan<byte> data, [NotNullWhen(true)] out TState? state);
}
