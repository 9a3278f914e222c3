using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace GenSafety.LoadTests.Processes;

/// <summary>
/// A <c>dotnet &lt;dll&gt;</c> child process (reference model, bare proxy, gateway, echo upstream).
/// Its output is drained continuously (a full pipe would stall it) and the last lines are kept for
/// error messages. Every child started is killed, with its process tree, on <see cref="Dispose"/>
/// and, as a last resort, when this process exits.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int TailLines = 40;
    private static readonly ConcurrentDictionary<ChildProcess, byte> Live = new();
    private readonly Process _process;
    private readonly Queue<string> _stdout = new();
    private readonly Queue<string> _stderr = new();

    static ChildProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet dll args</c> in the dll's folder (so that its appsettings.json is found).</summary>
    public static ChildProcess Start(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        if (!File.Exists(dll))
        {
            throw new ChildProcessException($"{name}: {dll} not found (build it first: load-tests/run.sh builds everything in Release)");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // An inherited URL setting must not fight the endpoints given on the command line.
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" })
        {
            info.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Keep(child._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(child._stderr, e.Data);
        if (!process.Start())
        {
            throw new ChildProcessException($"{name}: could not start dotnet {dll}");
        }

        Live.TryAdd(child, 0);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Polls <paramref name="url"/> until <paramref name="isReady"/> accepts a status code; fails early,
    /// with the child's last output, if the child exits, and after <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitUntilReadyAsync(HttpClient http, Uri url, Func<HttpStatusCode, bool> isReady, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var last = "no answer yet";
        while (Stopwatch.GetTimestamp() < deadline)
        {
            EnsureRunning();
            try
            {
                using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                probe.CancelAfter(TimeSpan.FromSeconds(2));
                using var response = await http.GetAsync(url, probe.Token);
                if (isReady(response.StatusCode))
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = ex.Message;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        throw new ChildProcessException($"{Name}: not ready at {url} after {timeout.TotalSeconds:0} s (last: {last})\n{Tail()}");
    }

    /// <summary>Throws, with the child's last output, when it has exited.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            // Let the asynchronous readers deliver what the process wrote last (bounded: a grandchild
            // could hold the pipes open).
            _process.WaitForExit(TimeSpan.FromSeconds(5));
            throw new ChildProcessException($"{Name} (pid {_process.Id}) exited with code {_process.ExitCode}\n{Tail()}");
        }
    }

    public string Tail()
    {
        lock (_stdout)
        {
            var lines = new List<string>();
            if (_stderr.Count > 0)
            {
                lines.Add($"  --- last stderr of {Name} ---");
                lines.AddRange(_stderr.Select(l => "  " + l));
            }

            if (_stdout.Count > 0)
            {
                lines.Add($"  --- last stdout of {Name} ---");
                lines.AddRange(_stdout.Select(l => "  " + l));
            }

            return lines.Count == 0 ? $"  ({Name} wrote nothing)" : string.Join('\n', lines);
        }
    }

    public void Dispose()
    {
        Live.TryRemove(this, out _);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    public static void KillAll()
    {
        foreach (var child in Live.Keys)
        {
            child.Dispose();
        }
    }

    private void Keep(Queue<string> queue, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_stdout)
        {
            queue.Enqueue(line);
            if (queue.Count > TailLines)
            {
                queue.Dequeue();
            }
        }
    }
}

/// <summary>A child process could not be started, did not become ready, or died.</summary>
internal sealed class ChildProcessException(string message) : Exception(message);
