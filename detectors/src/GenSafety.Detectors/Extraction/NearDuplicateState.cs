namespace GenSafety.Detectors.Extraction;

/// <summary>One client's SEAT-style state: its recent query vectors and which recent queries were near-duplicates.</summary>
public sealed class NearDuplicateState : DetectorState
{
    internal NearDuplicateState(int capacity, int dimensions) => History = new QuantizedVectorSet(capacity, dimensions);

    /// <summary>Query vectors kept.</summary>
    public int HistorySize => History.Count;

    /// <summary>Queries measured so far, capped at <see cref="NearDuplicateOptions.RecentQueries"/>.</summary>
    public int Measured { get; internal set; }

    /// <summary>The latest query's mean distance to its k nearest earlier queries; NaN before the first measurement.</summary>
    public float LatestMeanDistance { get; internal set; } = float.NaN;

    /// <summary>Bit i: whether the i-th latest measured query was a near-duplicate.</summary>
    internal ulong Flags { get; set; }

    internal QuantizedVectorSet History { get; }
}
