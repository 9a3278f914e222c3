namespace GenSafety.Detectors.Extraction;

/// <summary>
/// One client's harvesting state: the sketches of its latest requests (<see cref="HarvestingOptions.WindowSize"/>)
/// and its requests per minute over the last <see cref="MinuteSlots"/> minutes (for timing synchrony between
/// clients, <see cref="SybilLinking"/>).
/// </summary>
public sealed class HarvestingState : DetectorState
{
    /// <summary>Minutes of per-minute request counts kept.</summary>
    public const int MinuteSlots = 64;

    internal HarvestingState(int windowSize) => Window = new Ring<HarvestingEntry>(windowSize);

    /// <summary>Requests in the window.</summary>
    public int WindowCount => Window.Count;

    /// <summary>The latest minute (Unix minutes) with a request; null before the first.</summary>
    public long? LatestMinute => LastMinute == long.MinValue ? null : LastMinute;

    internal Ring<HarvestingEntry> Window { get; }

    /// <summary>Requests in minute t at slot t mod <see cref="MinuteSlots"/>, for t in (LastMinute − 64, LastMinute].</summary>
    internal ushort[] MinuteCounts { get; } = new ushort[MinuteSlots];

    internal long LastMinute { get; set; } = long.MinValue;

    /// <summary>Requests in Unix minute <paramref name="minute"/> (0 outside the kept minutes).</summary>
    public int RequestsInMinute(long minute) =>
        LastMinute != long.MinValue && minute <= LastMinute && minute > LastMinute - MinuteSlots ? MinuteCounts[Slot(minute)] : 0;

    internal static int Slot(long minute) => (int)(((minute % MinuteSlots) + MinuteSlots) % MinuteSlots);

    /// <summary>Counts a request in <paramref name="minute"/>; minutes older than the kept range are not counted.</summary>
    internal void CountMinute(long minute)
    {
        if (LastMinute == long.MinValue || minute >= LastMinute + MinuteSlots)
        {
            Array.Clear(MinuteCounts);
            LastMinute = minute;
        }
        else if (minute > LastMinute)
        {
            for (var m = LastMinute + 1; m <= minute; m++)
            {
                MinuteCounts[Slot(m)] = 0;
            }

            LastMinute = minute;
        }
        else if (minute <= LastMinute - MinuteSlots)
        {
            return;
        }

        ref var count = ref MinuteCounts[Slot(minute)];
        if (count < ushort.MaxValue)
        {
            count++;
        }
    }
}
