namespace GenSafety.Gateway.State;

/// <summary>
/// Times are kept as Unix milliseconds (UTC), readable by operators and by Lua scripts alike.
/// Both stores return times normalised this way, so records read back compare equal whatever the backend.
/// </summary>
internal static class StateTime
{
    /// <summary>Unix milliseconds of <paramref name="time"/>.</summary>
    public static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>The UTC time of <paramref name="unixMs"/>.</summary>
    public static DateTimeOffset FromUnixMs(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    /// <summary><paramref name="time"/> in UTC, truncated to whole milliseconds.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset time) => FromUnixMs(ToUnixMs(time));
}
