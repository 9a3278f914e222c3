using System.Buffers.Binary;

namespace GenSafety.Gateway.Detection.ApiSurface;

/// <summary>
/// One client's <c>api-surface</c> state: a ring of the last requests (time, feature flags, number of biased ids),
/// two half-window sketches of the biased token ids, and a few prompt slots (prompt hash, last bias set, the last
/// biased token's value and step, a sketch of the ids biased on that prompt). Serialized little-endian:
/// a 32-byte header, <c>8·WindowRequests</c> bytes of ring, 2 × 128 bytes of sketches, <c>96·PromptSlots</c> bytes of
/// slots (7,456 bytes with the defaults). A state of another layout or size starts over.
/// </summary>
internal sealed class ApiSurfaceState
{
    /// <summary>Bytes of the global id sketch (1024 bits).</summary>
    public const int GlobalSketchBytes = 128;

    /// <summary>Bytes of a prompt's id sketch (512 bits).</summary>
    public const int PromptSketchBytes = 64;

    private const byte Layout = 1;
    private const int HeaderBytes = 32;
    private const int RecordBytes = 8;
    private const int SlotBytes = 96;

    private ApiSurfaceState(int capacity, int slots)
    {
        Ring = new RequestRecord[capacity];
        Slots = new PromptSlot[slots];
        for (var i = 0; i < slots; i++)
        {
            Slots[i] = new PromptSlot();
        }
    }

    /// <summary>The request ring (<see cref="Count"/> records, the newest before <see cref="Head"/>).</summary>
    public RequestRecord[] Ring { get; }

    /// <summary>Records in the ring.</summary>
    public int Count { get; private set; }

    /// <summary>Where the next record goes.</summary>
    public int Head { get; private set; }

    /// <summary>When the current sketch half started (Unix seconds).</summary>
    public uint EpochStart { get; set; }

    /// <summary>Biased ids of the current half-window.</summary>
    public byte[] CurrentIds { get; private set; } = new byte[GlobalSketchBytes];

    /// <summary>Biased ids of the previous half-window.</summary>
    public byte[] PreviousIds { get; private set; } = new byte[GlobalSketchBytes];

    /// <summary>The prompt slots.</summary>
    public PromptSlot[] Slots { get; }

    /// <summary>Serialized size for a window of <paramref name="capacity"/> requests and <paramref name="slots"/> prompts.</summary>
    public static int SizeFor(int capacity, int slots) => HeaderBytes + (capacity * RecordBytes) + (2 * GlobalSketchBytes) + (slots * SlotBytes);

    /// <summary>An empty state.</summary>
    public static ApiSurfaceState Empty(int capacity, int slots) => new(capacity, slots);

    /// <summary>Reads <paramref name="data"/>, or starts over when it is empty or of another layout or size.</summary>
    public static ApiSurfaceState Read(ReadOnlySpan<byte> data, int capacity, int slots)
    {
        var state = new ApiSurfaceState(capacity, slots);
        if (data.Length != SizeFor(capacity, slots) || data[0] != Layout
            || BinaryPrimitives.ReadUInt16LittleEndian(data[2..]) != capacity || BinaryPrimitives.ReadUInt16LittleEndian(data[12..]) != slots)
        {
            return state;
        }

        state.Count = Math.Min(BinaryPrimitives.ReadUInt16LittleEndian(data[4..]), capacity);
        state.Head = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) % capacity;
        state.EpochStart = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        var at = HeaderBytes;
        for (var i = 0; i < capacity; i++, at += RecordBytes)
        {
            state.Ring[i] = new RequestRecord(
                BinaryPrimitives.ReadUInt32LittleEndian(data[at..]), BinaryPrimitives.ReadUInt16LittleEndian(data[(at + 4)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(data[(at + 6)..]));
        }

        state.CurrentIds = data.Slice(at, GlobalSketchBytes).ToArray();
        state.PreviousIds = data.Slice(at + GlobalSketchBytes, GlobalSketchBytes).ToArray();
        at += 2 * GlobalSketchBytes;
        foreach (var slot in state.Slots)
        {
            slot.Read(data.Slice(at, SlotBytes));
            at += SlotBytes;
        }

        return state;
    }

    /// <summary>Appends a record, replacing the oldest when the ring is full.</summary>
    public void Add(RequestRecord record)
    {
        Ring[Head] = record;
        Head = (Head + 1) % Ring.Length;
        Count = Math.Min(Count + 1, Ring.Length);
    }

    /// <summary>Starts a new sketch half: the current one becomes the previous one.</summary>
    public void Rotate(uint now, bool dropBoth)
    {
        PreviousIds = dropBoth ? new byte[GlobalSketchBytes] : CurrentIds;
        CurrentIds = new byte[GlobalSketchBytes];
        EpochStart = now;
    }

    /// <summary>Serializes the state.</summary>
    public byte[] ToArray()
    {
        var data = new byte[SizeFor(Ring.Length, Slots.Length)];
        data[0] = Layout;
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), (ushort)Ring.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), (ushort)Count);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), (ushort)Head);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), EpochStart);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(12), (ushort)Slots.Length);
        var at = HeaderBytes;
        foreach (var record in Ring)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), record.Time);
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at + 4), record.Flags);
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at + 6), record.BiasedIds);
            at += RecordBytes;
        }

        CurrentIds.CopyTo(data, at);
        PreviousIds.CopyTo(data, at + GlobalSketchBytes);
        at += 2 * GlobalSketchBytes;
        foreach (var slot in Slots)
        {
            slot.Write(data.AsSpan(at, SlotBytes));
            at += SlotBytes;
        }

        return data;
    }

    /// <summary>One request in the window.</summary>
    /// <param name="Time">Unix seconds.</param>
    /// <param name="Flags"><see cref="RequestFlags"/>.</param>
    /// <param name="BiasedIds">Number of <c>logit_bias</c> entries (capped at 65,535).</param>
    public readonly record struct RequestRecord(uint Time, ushort Flags, ushort BiasedIds);

    /// <summary>What the detector remembers about one prompt hash.</summary>
    public sealed class PromptSlot
    {
        public ulong Hash { get; set; }

        public uint LastSeen { get; set; }

        public uint BiasSet { get; set; }

        public int LastToken { get; set; }

        public float LastValue { get; set; }

        public float LastStep { get; set; }

        /// <summary>How often the prompt came back with a bias set other than its last one.</summary>
        public uint Changes { get; set; }

        public byte[] Ids { get; private set; } = new byte[PromptSketchBytes];

        public bool IsEmpty => Hash == 0 && LastSeen == 0;

        /// <summary>Makes the slot hold <paramref name="hash"/>, forgetting what it held.</summary>
        public void Reset(ulong hash)
        {
            (Hash, LastSeen, BiasSet, LastToken, LastValue, LastStep, Changes) = (hash, 0, 0, -1, 0, 0, 0);
            Ids = new byte[PromptSketchBytes];
        }

        public void Read(ReadOnlySpan<byte> data)
        {
            Hash = BinaryPrimitives.ReadUInt64LittleEndian(data);
            LastSeen = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
            BiasSet = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
            LastToken = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
            LastValue = BinaryPrimitives.ReadSingleLittleEndian(data[20..]);
            LastStep = BinaryPrimitives.ReadSingleLittleEndian(data[24..]);
            Changes = BinaryPrimitives.ReadUInt32LittleEndian(data[28..]);
            Ids = data.Slice(32, PromptSketchBytes).ToArray();
        }

        public void Write(Span<byte> data)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(data, Hash);
            BinaryPrimitives.WriteUInt32LittleEndian(data[8..], LastSeen);
            BinaryPrimitives.WriteUInt32LittleEndian(data[12..], BiasSet);
            BinaryPrimitives.WriteInt32LittleEndian(data[16..], LastToken);
            BinaryPrimitives.WriteSingleLittleEndian(data[20..], LastValue);
            BinaryPrimitives.WriteSingleLittleEndian(data[24..], LastStep);
            BinaryPrimitives.WriteUInt32LittleEndian(data[28..], Changes);
            Ids.CopyTo(data[32..]);
        }
    }
}

/// <summary>Feature flags of one request in the <c>api-surface</c> window.</summary>
[Flags]
internal enum RequestFlags : ushort
{
    None = 0,

    /// <summary>Non-empty <c>logit_bias</c>.</summary>
    Bias = 1,

    /// <summary>A bias with |value| ≥ <see cref="ApiSurfaceOptions.ExtremeBias"/>.</summary>
    Extreme = 2,

    /// <summary>Logprobs asked with <c>max_tokens</c> ≤ <see cref="ApiSurfaceOptions.ProbeMaxTokens"/>.</summary>
    Probe = 4,

    /// <summary>A prompt seen before, back with a bias set other than its last one, for at least the <see cref="ApiSurfaceOptions.ResweepAfter"/>-th time.</summary>
    Resweep = 8,

    /// <summary>The prompt's biased token moved by about half its previous step (bisection).</summary>
    Bisect = 16,
}
