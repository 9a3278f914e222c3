using System.Diagnostics;
using System.Globalization;

namespace GenSafety.LoadTests.Processes;

/// <summary>CPU time (user + system) a process has used so far, from <c>/proc/&lt;pid&gt;/stat</c>.</summary>
internal static class ProcessCpuTime
{
    // /proc reports utime and stime in USER_HZ clock ticks, which the kernel ABI fixes at 100 per second.
    private const double TicksPerSecond = 100;

    public static TimeSpan Read(int pid)
    {
        var statPath = $"/proc/{pid}/stat";
        if (!File.Exists(statPath))
        {
            // Not Linux (or the process is gone): the runtime's own reading, best effort.
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }

        return Parse(File.ReadAllText(statPath));
    }

    /// <summary>Parses a stat line; the command name may hold spaces and parentheses, so fields count from its last ')'.</summary>
    internal static TimeSpan Parse(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state), so utime (field 14) is fields[11] and stime (field 15) fields[12].
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }
}
