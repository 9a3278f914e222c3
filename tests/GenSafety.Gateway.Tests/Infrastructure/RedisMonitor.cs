using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GenSafety.Gateway.Tests.Infrastructure;

/// <summary>
/// A raw <c>MONITOR</c> connection: collects every command the server executes, telling commands sent by clients
/// (<c>[0 127.0.0.1:port]</c>) from those run inside scripts (<c>[0 lua]</c>). <c>INFO commandstats</c> counts both,
/// so this is how a test sees the round trips a client really made.
/// </summary>
internal sealed class RedisMonitor : IAsyncDisposable
{
    private readonly TcpClient _client = new();
    private readonly List<string> _lines = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;

    public static async Task<RedisMonitor> StartAsync(int port)
    {
        var monitor = new RedisMonitor();
        await monitor._client.ConnectAsync(IPAddress.Loopback, port);
        var stream = monitor._client.GetStream();
        await stream.WriteAsync("MONITOR\r\n"u8.ToArray());
        var reader = new StreamReader(stream, Encoding.UTF8);
        var ok = await reader.ReadLineAsync();
        if (ok != "+OK")
        {
            throw new InvalidOperationException($"MONITOR answered '{ok}'.");
        }

        monitor._reader = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync(monitor._stop.Token) is { } line)
                {
                    lock (monitor._lines)
                    {
                        monitor._lines.Add(line);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
        });
        return monitor;
    }

    /// <summary>
    /// The commands clients sent (not those run by scripts), in order: the name in lower case and the first argument
    /// (for <c>EVALSHA</c>, the script's SHA1), or "" when there is none.
    /// </summary>
    public IReadOnlyList<(string Name, string FirstArgument)> ClientCommands()
    {
        lock (_lines)
        {
            return [.. _lines
                .Where(l => l.StartsWith('+') && !l.Contains(" lua] ", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf("] \"", StringComparison.Ordinal) + 3)..].Split('"'))
                .Select(parts => (parts[0].ToLowerInvariant(), parts.Length > 2 ? parts[2] : string.Empty))];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        if (_reader is not null)
        {
            await _reader;
        }

        _stop.Dispose();
    }
}
