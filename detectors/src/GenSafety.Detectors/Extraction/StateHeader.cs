using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Extraction;

/// <summary>
/// The 24 bytes every stored state starts with: [0] format version, [1] <see cref="StateKind"/>, [2–3] zero,
/// [4–7] fingerprint of the options that shape the body, [8–15] observations, [16–23] last observation (Unix ms,
/// <see cref="long.MinValue"/> for none). Little-endian throughout.
/// </summary>
internal static class StateHeader
{
    /// <summary>The layout version this code writes and reads.</summary>
    public const byte FormatVersion = 1;

    public const int Size = 24;

    public static void Write(ref StateWriter writer, StateKind kind, uint fingerprint, DetectorState state)
    {
        WritePrefix(ref writer, kind, fingerprint);
        writer.WriteInt64(state.Observations);
        writer.WriteInt64(state.LastObserved?.ToUnixTimeMilliseconds() ?? long.MinValue);
    }

    public static void Read(ref StateReader reader, StateKind kind, uint fingerprint, DetectorState state)
    {
        ReadPrefix(ref reader, kind, fingerprint);
        var observations = reader.ReadInt64();
        var last = reader.ReadInt64();
        if (observations < 0)
        {
            throw StateReader.Invalid("a negative observation count");
        }

        state.Restore(observations, last);
    }

    /// <summary>Version, kind, two zero bytes and the fingerprint (8 bytes; also the start of shared data such as references).</summary>
    public static void WritePrefix(ref StateWriter writer, StateKind kind, uint fingerprint)
    {
        writer.WriteByte(FormatVersion);
        writer.WriteByte((byte)kind);
        writer.WriteUInt16(0);
        writer.WriteUInt32(fingerprint);
    }

    public static void ReadPrefix(ref StateReader reader, StateKind kind, uint fingerprint)
    {
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw StateReader.Invalid($"format version {version}, expected {FormatVersion}");
        }

        var storedKind = reader.ReadByte();
        if (storedKind != (byte)kind)
        {
            throw StateReader.Invalid($"it belongs to detector kind {storedKind}, expected {(byte)kind} ({kind})");
        }

        if (reader.ReadUInt16() != 0)
        {
            throw StateReader.Invalid("reserved bytes are not zero");
        }

        var storedFingerprint = reader.ReadUInt32();
        if (storedFingerprint != fingerprint)
        {
            throw StateReader.Invalid("it was written under other options (fingerprint differs)");
        }
    }

    /// <summary>A 32-bit fingerprint of the values that shape a state's layout and meaning.</summary>
    public static uint Fingerprint(params ReadOnlySpan<long> values)
    {
        var hash = StableHash.FnvOffset;
        foreach (var value in values)
        {
            hash = StableHash.Mix(hash ^ (ulong)value) + StableHash.Golden;
        }

        return (uint)(StableHash.Mix(hash) >> 32);
    }
}
