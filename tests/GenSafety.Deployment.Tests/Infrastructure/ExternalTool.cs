using System.Diagnostics;
using System.Text;

namespace GenSafety.Deployment.Tests.Infrastructure;

/// <summary>
/// Runs the operations tools the checks need (promtool, prometheus, yamllint). A missing tool fails the test: test.sh
/// installs them (Debian packages <c>prometheus</c> and <c>yamllint</c>), so absence is a broken machine, not a skip.
/// </summary>
public static class ExternalTool
{
    /// <summary>Full path of <paramref name="name"/> on PATH; fails the test when it is not there.</summary>
    public static string Require(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"'{name}' is not on PATH. Install it (apt-get install prometheus yamllint; test.sh does this).");
        return name;
    }

    /// <summary>Runs a tool to completion and returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Require(tool))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return await RunAsync(start, timeout);
    }

    /// <summary>Runs a prepared process to completion (killed after <paramref name="timeout"/>).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"timed out after {timeout}: {Read(output)}");
        }

        // The exit can be seen before the last asynchronous output lines: wait for them.
        process.WaitForExit();
        return (process.ExitCode, Read(output));
    }

    internal static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    internal static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
