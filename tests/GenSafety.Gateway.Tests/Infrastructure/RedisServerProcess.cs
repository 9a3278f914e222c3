using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GenSafety.Gateway.Tests.Infrastructure;

/// <summary>
/// A private <c>redis-server</c> on a free loopback port, without persistence. It can be stopped and started
/// again on the same port (outage tests: <see cref="StopAsync"/>, then <see cref="StartAsync"/>) and is killed on dispose.
/// <code>
/// await using RedisServerProcess redis = await RedisServerProcess.StartNewAsync();
/// string connectionString = redis.EndPoint; // "127.0.0.1:PORT"
/// </code>
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string _executable;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private readonly string? _dataDirectory;

    private RedisServerProcess(string executable, int port, string? dataDirectory = null)
    {
        _executable = executable;
        Port = port;
        _dataDirectory = dataDirectory;
    }

    /// <summary>Loopback port the server listens on, kept across restarts.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, usable as a StackExchange.Redis connection string.</summary>
    public string EndPoint => $"127.0.0.1:{Port}";

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a server on a free port and waits until it answers PING.</summary>
    public static Task<RedisServerProcess> StartNewAsync(CancellationToken cancellationToken = default) => StartNewAsync(persistent: false, cancellationToken);

    /// <summary>
    /// Starts a private server; a <paramref name="persistent"/> one writes an append-only file in a temporary directory and
    /// is stopped with <c>SHUTDOWN</c> (which flushes it), so its data survives <see cref="StopAsync"/> and
    /// <see cref="StartAsync"/> like a production Redis restarted by its operator.
    /// </summary>
    public static async Task<RedisServerProcess> StartNewAsync(bool persistent, CancellationToken cancellationToken = default)
    {
        string executable = FindExecutable();
        for (int attempt = 1; ; attempt++)
        {
            string? data = persistent ? Directory.CreateTempSubdirectory("gensafety-redis-").FullName : null;
            var server = new RedisServerProcess(executable, FreeLoopbackPort(), data);
            try
            {
                await server.StartAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another process may have taken the port between probing and binding: try another.
                await server.DisposeAsync();
            }
        }
    }

    /// <summary><c>redis-server</c> from PATH, else <c>/usr/bin/redis-server</c>.</summary>
    public static string FindExecutable()
    {
        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return path.Append("/usr/bin").Select(dir => Path.Combine(dir, "redis-server")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server not found on PATH or in /usr/bin; install it (apt-get install redis-server) or run ./test.sh.");
    }

    /// <summary>Sends PING to <paramref name="port"/> on loopback; true when the answer is PONG.</summary>
    public static async Task<bool> PingAsync(int port, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            byte[] buffer = new byte[16];
            int read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it answers PING.</summary>
    /// <exception cref="InvalidOperationException">It exited or did not answer in time; the message holds its output.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        var startInfo = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] persistence = _dataDirectory is null
            ? ["--appendonly", "no"]
            : ["--dir", _dataDirectory, "--appendonly", "yes", "--appendfsync", "everysec"];
        foreach (string arg in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--daemonize", "no", "--loglevel", "warning" }.Concat(persistence))
        {
            startInfo.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = Stopwatch.StartNew();
        while (!await PingAsync(Port, cancellationToken))
        {
            if (process.HasExited || deadline.Elapsed > StartTimeout)
            {
                await StopAsync();
                throw new InvalidOperationException($"redis-server did not start on port {Port}: {Output}");
            }

            await Task.Delay(25, cancellationToken);
        }
    }

    private async Task SendAsync(byte[] command)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            await client.GetStream().WriteAsync(command);
            await client.GetStream().FlushAsync();
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            // Already gone: the kill below is a no-op.
        }
    }

    /// <summary>Stops the server (a non-persistent one is killed, as a crash would) and waits until it has exited; the port is kept for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        Process? process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        using (process)
        {
            if (_dataDirectory is not null && !process.HasExited)
            {
                await SendAsync("SHUTDOWN\r\n"u8.ToArray());
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    /// <summary>Stops the server and removes its data directory, if persistent.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"redis-server {EndPoint}";

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            // Bounded: only start-up failures are of interest.
            if (line is not null && _output.Length < 8192)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
