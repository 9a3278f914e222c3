namespace GenSafety.Gateway.Detection.State;

/// <summary>
/// Per-client detector state: one bounded byte string per (tenant, client, detector), expiring after
/// <see cref="DetectionOptions.StateTtl"/> without writes. Each call covers a whole micro-batch: one round trip to
/// read every key it names and one to write every change. Failures surface as
/// <see cref="GenSafety.Gateway.State.StateStoreUnavailableException"/>.
/// </summary>
public interface IDetectorStateStore
{
    /// <summary>Reads the states of <paramref name="keys"/>, in order.</summary>
    ValueTask<DetectorStateEntry[]> ReadAsync(IReadOnlyList<DetectorStateKey> keys, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="writes"/> and renews their TTL. <see cref="DetectorStateMode.Replace"/> writes happen only
    /// when the stored state is still the one read (<see cref="DetectorStateWrite.Read"/>); the others are reported as
    /// conflicts, to be recomputed on fresh state. <see cref="DetectorStateMode.BitwiseOr"/> writes always succeed and
    /// report the set bits per region of the merged bitmap (an empty write only counts, and renews nothing).
    /// </summary>
    ValueTask<DetectorWriteResult> WriteAsync(IReadOnlyList<DetectorStateWrite> writes, CancellationToken cancellationToken);

    /// <summary>Deletes the states of <paramref name="keys"/> (those that exist), in one round trip.</summary>
    ValueTask DeleteAsync(IReadOnlyList<DetectorStateKey> keys, CancellationToken cancellationToken);
}

/// <summary>Names one detector's state of one client.</summary>
/// <param name="Tenant">Tenant.</param>
/// <param name="ClientId">Client.</param>
/// <param name="Detector">Detector name.</param>
/// <param name="Mode">How the detector's state is written (decides the stored layout).</param>
public readonly record struct DetectorStateKey(string Tenant, string ClientId, string Detector, DetectorStateMode Mode);

/// <summary>A state as read.</summary>
/// <param name="Exists">Whether a state was stored.</param>
/// <param name="Version">Write counter of a <see cref="DetectorStateMode.Replace"/> state (0 for bitmaps).</param>
/// <param name="Data">The detector's bytes (empty when none).</param>
public sealed record DetectorStateEntry(bool Exists, uint Version, byte[] Data)
{
    /// <summary>No stored state.</summary>
    public static DetectorStateEntry Missing { get; } = new(false, 0, []);
}

/// <summary>A state to write.</summary>
/// <param name="Key">Whose state.</param>
/// <param name="Read">The state the detector started from (compared before a replace; <see cref="DetectorStateEntry.Missing"/> for a bitmap).</param>
/// <param name="Data">The new bytes (for a bitmap: the bits to OR in, bit 0 being the high bit of byte 0 as Redis numbers them).</param>
public sealed record DetectorStateWrite(DetectorStateKey Key, DetectorStateEntry Read, byte[] Data)
{
    /// <summary>For a bitmap: bytes per counted region.</summary>
    public int RegionBytes { get; init; }

    /// <summary>For a bitmap: regions to count.</summary>
    public int Regions { get; init; }
}

/// <summary>What a write did.</summary>
/// <param name="Conflicts">Indexes of the replace writes that found another version (nothing written).</param>
/// <param name="SetBits">Per write: the set bits per region of a merged bitmap; null for replace writes.</param>
public sealed record DetectorWriteResult(IReadOnlyList<int> Conflicts, IReadOnlyList<long[]?> SetBits);
