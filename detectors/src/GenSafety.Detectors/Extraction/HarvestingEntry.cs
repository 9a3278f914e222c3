namespace GenSafety.Detectors.Extraction;

/// <summary>
/// One request in a <see cref="HarvestingState"/> window, stored in <see cref="Size"/> bytes: signature (16 × u16),
/// prompt fingerprint (u32), prompt length (u16, saturated), max_tokens + 1 (u16, 0 = not set, saturated),
/// temperature × 100 (u8, 255 = not set), flags (u8: bit 0 reasoning phrase), time (u32 Unix seconds), and the
/// number of other window entries sharing its template (u8).
/// </summary>
internal struct HarvestingEntry
{
    public const int Size = (2 * PrefixSignature.Length) + 4 + 2 + 2 + 1 + 1 + 4 + 1;

    public const byte NoTemperature = byte.MaxValue;

    public const byte ReasoningFlag = 1;

    public PrefixSignature Signature;
    public uint Fingerprint;
    public ushort Length;
    public ushort MaxTokensPlusOne;
    public byte Temperature;
    public byte Flags;
    public uint Seconds;
    public byte Matches;

    public readonly bool Reasoning => (Flags & ReasoningFlag) != 0;

    public static HarvestingEntry From(in QueryFeatures features, DateTimeOffset at) => new()
    {
        Signature = features.Prefix,
        Fingerprint = features.PromptFingerprint,
        Length = (ushort)Math.Min(features.PromptLength, ushort.MaxValue),
        MaxTokensPlusOne = features.MaxTokens is { } max ? (ushort)(Math.Min(max, ushort.MaxValue - 1) + 1) : (ushort)0,
        Temperature = features.Temperature is { } t ? (byte)Math.Clamp(Math.Round(t * 100), 0, NoTemperature - 1) : NoTemperature,
        Flags = features.ReasoningElicitation ? ReasoningFlag : (byte)0,
        Seconds = (uint)Math.Clamp(at.ToUnixTimeSeconds(), 0, uint.MaxValue),
    };

    public readonly void Write(ref StateWriter writer)
    {
        foreach (var value in Signature)
        {
            writer.WriteUInt16(value);
        }

        writer.WriteUInt32(Fingerprint);
        writer.WriteUInt16(Length);
        writer.WriteUInt16(MaxTokensPlusOne);
        writer.WriteByte(Temperature);
        writer.WriteByte(Flags);
        writer.WriteUInt32(Seconds);
        writer.WriteByte(Matches);
    }

    public static HarvestingEntry Read(ref StateReader reader)
    {
        var entry = default(HarvestingEntry);
        for (var i = 0; i < PrefixSignature.Length; i++)
        {
            entry.Signature[i] = reader.ReadUInt16();
        }

        entry.Fingerprint = reader.ReadUInt32();
        entry.Length = reader.ReadUInt16();
        entry.MaxTokensPlusOne = reader.ReadUInt16();
        entry.Temperature = reader.ReadByte();
        entry.Flags = reader.ReadByte();
        entry.Seconds = reader.ReadUInt32();
        entry.Matches = reader.ReadByte();
        return entry;
    }
}
