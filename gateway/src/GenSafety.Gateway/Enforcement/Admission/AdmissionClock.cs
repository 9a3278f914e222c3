namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>Time arithmetic shared by the stores.</summary>
internal static class AdmissionClock
{
    /// <summary>Length of a rate-limit period (per minute).</summary>
    public const long PeriodMs = 60_000;

    private const long DayMs = 86_400_000;

    /// <summary>Unix milliseconds.</summary>
    public static long ToMs(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    /// <summary>UTC day number (days since the epoch).</summary>
    public static long Day(DateTimeOffset at) => ToMs(at) / DayMs;

    /// <summary>Milliseconds from <paramref name="now"/> until the UTC day of <paramref name="day"/> ends; 0 when it has.</summary>
    public static long UntilDayEnds(DateTimeOffset day, DateTimeOffset now) => Math.Max(((Day(day) + 1) * DayMs) - ToMs(now), 0);

    /// <summary>Milliseconds as a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan Ms(long ms) => TimeSpan.FromMilliseconds(Math.Max(ms, 0));
}
