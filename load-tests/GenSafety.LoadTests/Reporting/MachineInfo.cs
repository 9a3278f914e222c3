using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GenSafety.LoadTests.Reporting;

/// <summary>Where and when a run happened; load averages show how busy the machine was around it.</summary>
internal sealed record MachineInfo(
    string StartedUtc,
    int LogicalCores,
    string Cpu,
    string Os,
    string Runtime,
    string? GitCommit,
    string LoadAverageAtStart,
    string LoadAverageAtEnd)
{
    public static MachineInfo Capture(string repoRoot) => new(
        DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'"),
        Environment.ProcessorCount,
        CpuModel(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        CurrentCommit(repoRoot),
        LoadAverage(),
        string.Empty);

    public MachineInfo Finish() => this with { LoadAverageAtEnd = LoadAverage() };

    private static string CpuModel()
    {
        const string path = "/proc/cpuinfo";
        var line = File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    private static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "n/a";
    }

    private static string? CurrentCommit(string repoRoot)
    {
        var head = Git(repoRoot, "rev-parse", "--short", "HEAD");
        if (head is null)
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(Git(repoRoot, "status", "--porcelain", "--untracked-files=no")) ? head : head + "+dirty";
    }

    private static string? Git(string repoRoot, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("-C");
            info.ArgumentList.Add(repoRoot);
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using var git = Process.Start(info);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEnd();
            return git.WaitForExit(TimeSpan.FromSeconds(5)) && git.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on this machine.
            return null;
        }
    }
}
