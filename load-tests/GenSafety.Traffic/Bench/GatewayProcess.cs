using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace GenSafety.Traffic.Bench;

/// <summary>
/// The built gateway as a child process in front of one upstream: public and admin listeners on free loopback
/// ports, a fresh admin token and key pepper, logging at Warning. Disposing kills it.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _output;

    private GatewayProcess(Process process, StringBuilder output, Uri publicUrl, Uri adminUrl, string adminToken)
    {
        _process = process;
        _output = output;
        PublicUrl = publicUrl;
        AdminUrl = adminUrl;
        AdminToken = adminToken;
    }

    /// <summary>The gateway's public root.</summary>
    public Uri PublicUrl { get; }

    /// <summary>The gateway's admin root.</summary>
    public Uri AdminUrl { get; }

    /// <summary>The admin bearer token.</summary>
    public string AdminToken { get; }

    /// <summary>What the gateway wrote to stdout and stderr so far (the start and the last lines of a long run).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="gatewayDll"/></c> proxying to <paramref name="upstream"/> with
    /// <paramref name="gatewayArgs"/> (<c>--Key=value</c> overrides, last) and waits for its <c>/readyz</c>.
    /// </summary>
    public static async Task<GatewayProcess> StartAsync(string gatewayDll, Uri upstream, IEnumerable<string> gatewayArgs, CancellationToken cancellationToken)
    {
        if (!File.Exists(gatewayDll))
        {
            throw new FileNotFoundException($"No gateway build at '{gatewayDll}': build gateway/src/GenSafety.Gateway first.", gatewayDll);
        }

        var publicUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        var adminUrl = new Uri($"http://127.0.0.1:{FreePort()}/");
        var adminToken = Secret();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(gatewayDll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            Path.GetFullPath(gatewayDll),
            $"--Kestrel:Endpoints:Public:Url={publicUrl}",
            $"--Kestrel:Endpoints:Admin:Url={adminUrl}",
            $"--ReverseProxy:Clusters:upstream:Destinations:primary:Address={upstream}",
            $"--GenSafety:Admin:Token={adminToken}",
            $"--GenSafety:Identity:KeyPepper={Secret()}",
            "--Logging:LogLevel:Default=Warning",
            .. gatewayArgs,
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, output, publicUrl, adminUrl, adminToken);
        try
        {
            await gateway.WaitUntilReadyAsync(cancellationToken);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>A random 48-hex-digit secret.</summary>
    public static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(AdminUrl, "readyz"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One slow answer while it starts.
            }

            if (_process.HasExited || watch.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"The gateway did not become ready within {StartTimeout.TotalSeconds:F0} s: {Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            // Keep the start and the last lines: enough to say why it failed without holding a long run's log.
            if (output.Length > 64 * 1024)
            {
                output.Remove(0, output.Length - (32 * 1024));
            }

            output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
