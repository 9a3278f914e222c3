using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using GenSafety.Traffic.Cli;
using Microsoft.AspNetCore.Builder;

namespace GenSafety.Traffic.Bench;

/// <summary>
/// What the detection benchmark runs against: the reference model (in this process, its default n-gram and MiniLM
/// mode) and the built gateway as a child process in front of it, on Redis, with detection on (its defaults), the
/// admin API on its own port and a fresh admin token, key pepper and Redis key prefix. Disposing stops both.
/// </summary>
public sealed class BenchTarget : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly WebApplication _model;
    private readonly Process _gateway;
    private readonly StringBuilder _gatewayOutput;

    private BenchTarget(WebApplication model, Uri modelUrl, Process gateway, StringBuilder gatewayOutput, Uri publicUrl, Uri adminUrl, string adminToken)
    {
        _model = model;
        ModelUrl = modelUrl;
        _gateway = gateway;
        _gatewayOutput = gatewayOutput;
        GatewayUrl = publicUrl;
        AdminUrl = adminUrl;
        AdminToken = adminToken;
    }

    /// <summary>The reference model, undefended (the oracle of clean embeddings).</summary>
    public Uri ModelUrl { get; }

    /// <summary>The gateway's public root.</summary>
    public Uri GatewayUrl { get; }

    /// <summary>The gateway's admin root.</summary>
    public Uri AdminUrl { get; }

    /// <summary>The admin bearer token.</summary>
    public string AdminToken { get; }

    /// <summary>What the gateway wrote to stdout and stderr so far.</summary>
    public string GatewayOutput
    {
        get
        {
            lock (_gatewayOutput)
            {
                return _gatewayOutput.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the model, then <c>dotnet <paramref name="gatewayDll"/></c> on <paramref name="redis"/> with
    /// <paramref name="gatewayArgs"/> (<c>--Key=value</c> overrides, last), and waits for the gateway's <c>/readyz</c>.
    /// </summary>
    public static async Task<BenchTarget> StartAsync(string gatewayDll, string redis, IEnumerable<string> gatewayArgs, CancellationToken cancellationToken)
    {
        if (!File.Exists(gatewayDll))
        {
            throw new FileNotFoundException($"No gateway build at '{gatewayDll}': build gateway/src/GenSafety.Gateway first.", gatewayDll);
        }

        var (model, modelUrl) = await ReferenceModelHosting.StartAsync(_ => { }, cancellationToken);
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
            $"--ReverseProxy:Clusters:upstream:Destinations:primary:Address={modelUrl}",
            $"--GenSafety:Admin:Token={adminToken}",
            $"--GenSafety:Identity:KeyPepper={Secret()}",
            $"--GenSafety:Redis:ConnectionString={redis}",
            $"--GenSafety:Redis:KeyPrefix=gsb{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}",
            "--GenSafety:Detection:Enabled=true",
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
        var stack = new BenchTarget(model, modelUrl, process, output, publicUrl, adminUrl, adminToken);
        try
        {
            await stack.WaitUntilReadyAsync(cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_gateway.HasExited)
        {
            _gateway.Kill(entireProcessTree: true);
        }

        await _gateway.WaitForExitAsync();
        _gateway.Dispose();
        await _model.StopAsync();
        await _model.DisposeAsync();
    }

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

            if (_gateway.HasExited || watch.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"The gateway did not become ready within {StartTimeout.TotalSeconds:F0} s: {GatewayOutput}");
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

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
