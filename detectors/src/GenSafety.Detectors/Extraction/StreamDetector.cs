using System.Diagnostics.CodeAnalysis;

namespace GenSafety.Detectors.Extraction;

/// <summary>
/// The state handling shared by the stream detectors: the common header (<see cref="StateHeader"/>), exact sizes,
/// and strict restoring. Each detector supplies its kind, an options fingerprint and its body layout.
/// </summary>
/// <typeparam name="TState">The per-client state.</typeparam>
public abstract class StreamDetector<TState> : IStreamDetector<TState>
    where TState : DetectorState
{
    private protected StreamDetector()
    {
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public int MaxStateSize => StateHeader.Size + MaxBodySize;

    private protected abstract StateKind Kind { get; }

    /// <summary>Fingerprint of the options a stored state must have been written under.</summary>
    private protected abstract uint Fingerprint { get; }

    private protected abstract int MaxBodySize { get; }

    /// <inheritdoc />
    public abstract TState CreateState();

    /// <inheritdoc />
    public abstract DetectorSignal Evaluate(TState state);

    /// <inheritdoc />
    public int GetStateSize(TState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return StateHeader.Size + BodySize(state);
    }

    /// <inheritdoc />
    public int Serialize(TState state, Span<byte> destination)
    {
        var size = GetStateSize(state);
        if (destination.Length < size)
        {
            throw new ArgumentException($"The state needs {size} bytes; the destination holds {destination.Length}.", nameof(destination));
        }

        var writer = new StateWriter(destination);
        StateHeader.Write(ref writer, Kind, Fingerprint, state);
        WriteBody(ref writer, state);
        return writer.Position;
    }

    /// <inheritdoc />
    public byte[] Serialize(TState state)
    {
        var bytes = new byte[GetStateSize(state)];
        Serialize(state, bytes);
        return bytes;
    }

    /// <inheritdoc />
    public TState Deserialize(ReadOnlySpan<byte> data)
    {
        var state = CreateState();
        var reader = new StateReader(data);
        StateHeader.Read(ref reader, Kind, Fingerprint, state);
        ReadBody(ref reader, state);
        if (reader.Remaining != 0)
        {
            throw StateReader.Invalid($"{reader.Remaining} bytes follow its end");
        }

        return state;
    }

    /// <inheritdoc />
    public bool TryDeserialize(ReadOnlySpan<byte> data, [NotNullWhen(true)] out TState? state)
    {
        try
        {
            state = Deserialize(data);
            return true;
        }
        catch (InvalidDataException)
        {
            state = null;
            return false;
        }
    }

    /// <summary>Counts the observation in the state's header fields (every Observe starts with this).</summary>
    private protected static void Touch(TState state, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Touch(at);
    }

    private protected abstract int BodySize(TState state);

    private protected abstract void WriteBody(ref StateWriter writer, TState state);

    private protected abstract void ReadBody(ref StateReader reader, TState state);
}
