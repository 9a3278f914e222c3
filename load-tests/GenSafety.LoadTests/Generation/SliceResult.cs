using HdrHistogram;

namespace GenSafety.LoadTests.Generation;

/// <summary>
/// What one or more measured windows of one (scenario, target) recorded. Slices of the same pair are
/// added together, so a target's figures cover all of its interleaved rounds.
/// </summary>
internal sealed class SliceResult
{
    public LongHistogram Latency { get; } = LatencyHistograms.Create();

    public LongHistogram FirstToken { get; } = LatencyHistograms.Create();

    public long Successes { get; private set; }

    public long Errors { get; private set; }

    public Dictionary<string, long> ErrorKinds { get; } = new(StringComparer.Ordinal);

    public TimeSpan Measured { get; private set; }

    public void RecordSuccess(long latencyMicros, long firstTokenMicros)
    {
        Successes++;
        Latency.RecordValue(latencyMicros);
        if (firstTokenMicros > 0)
        {
            FirstToken.RecordValue(firstTokenMicros);
        }
    }

    public void RecordError(string kind)
    {
        Errors++;
        ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + 1;
    }

    public void AddMeasured(TimeSpan window) => Measured += window;

    public void Add(SliceResult other)
    {
        Successes += other.Successes;
        Errors += other.Errors;
        Latency.Add(other.Latency);
        FirstToken.Add(other.FirstToken);
        Measured += other.Measured;
        foreach (var (kind, count) in other.ErrorKinds)
        {
            ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + count;
        }
    }
}
