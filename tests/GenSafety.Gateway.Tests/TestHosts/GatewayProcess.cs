using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace GenSafety.Gateway.Tests.TestHosts;

/// <summary>
/// The built gateway (<c>GenSafety.Gateway.dll</c>) run as a separate OS process, for tests where replicas must
/// share nothing but Redis: no static state, no shared connection pool, no shared clock source.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly StringBuilder _output;

    private GatewayProcess(Process process, StringBuilder output, string publicUrl, string adminUrl)
    {
        _process = process;
        _output = output;
        PublicUrl = publicUrl;
        Admin = new HttpClient { BaseAddress = new Uri(adminUrl), Timeout = TimeSpan.FromSeconds(60) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayHost.AdminToken);
    }

    public string PublicUrl { get; }

    /// <summary>Client for the admin listener, with the admin token.</summary>
    public HttpClient Admin { get; }

    /// <summary>Starts the process and waits for <c>/healthz</c>.</summary>
    public static async Task<GatewayProcess> StartAsync(string upstreamUrl, IEnumerable<string>? extraArgs = null)
    {
        var (publicUrl, adminUrl, args) = GatewayHost.Arguments(upstreamUrl, extraArgs);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "GenSafety.Gateway.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayProcess(process, output, publicUrl, adminUrl);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await gateway.Admin.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited || watch.Elapsed > StartTimeout)
            {
                await gateway.DisposeAsync();
                throw new InvalidOperationException($"The gateway process did not start: {gateway.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A public-listener client that sends <paramref name="key"/>.</summary>
    public HttpClient PublicWithKey(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(PublicUrl), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

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

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
