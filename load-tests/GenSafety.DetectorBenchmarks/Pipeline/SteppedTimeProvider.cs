namespace GenSafety.DetectorBenchmarks.Pipeline;

/// <summary>A clock the benchmark moves forward itself, so that the events arrive at the load generator's rate.</summary>
internal sealed class SteppedTimeProvider(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
