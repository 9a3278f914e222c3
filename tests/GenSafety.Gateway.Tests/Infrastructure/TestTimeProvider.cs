namespace GenSafety.Gateway.Tests.Infrastructure;

/// <summary>A clock that moves only when told to (<see cref="Advance"/>); timers are not faked.</summary>
public sealed class TestTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    /// <summary>A clock set to 2025-01-01T00:00:00Z plus a fraction of a millisecond (to show truncation).</summary>
    public TestTimeProvider()
        : this(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234))
    {
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);
}
