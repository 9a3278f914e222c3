namespace GenSafety.Detectors.Extraction;

/// <summary>
/// One client's state in a stream detector: created by the detector (<c>CreateState</c>), changed only by its
/// <c>Observe</c>, stored as bytes with its <c>Serialize</c>. Not thread-safe: one consumer per client at a time.
/// </summary>
public abstract class DetectorState
{
    private protected DetectorState()
    {
    }

    /// <summary>Observations recorded since the state was created.</summary>
    public long Observations { get; private set; }

    /// <summary>Time of the latest observation (to the millisecond, as stored); null before the first.</summary>
    public DateTimeOffset? LastObserved { get; private set; }

    /// <summary>Counts one observation at <paramref name="at"/> (a clock that goes back leaves the later time).</summary>
    internal void Touch(DateTimeOffset at)
    {
        Observations++;
        at = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
        if (LastObserved is not { } last || at > last)
        {
            LastObserved = at;
        }
    }

    /// <summary>Restores the counters read from a stored header.</summary>
    internal void Restore(long observations, long lastObservedUnixMs)
    {
        Observations = observations;
        LastObserved = lastObservedUnixMs == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(lastObservedUnixMs);
    }
}
