using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GenSafety.Deployment.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;

namespace GenSafety.Deployment.Tests.Monitoring;

/// <summary>
/// A real Prometheus (the Debian package's binary) on a free loopback port, with its own configuration and TSDB in a
/// temporary folder, scraping one target every second and loading the chart's alert rules. Killed on dispose.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly DirectoryInfo _dir;

    private PrometheusServer(Process process, StringBuilder output, DirectoryInfo dir, string url)
    {
        _process = process;
        _output = output;
        _dir = dir;
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public string Output => ExternalTool.Read(_output);

    public static async Task<PrometheusServer> StartAsync(string scrapeTarget, string job)
    {
        var binary = ExternalTool.Require("prometheus");
        var dir = Directory.CreateTempSubdirectory("gensafety-prometheus-");
        var config = Path.Combine(dir.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - "{RepoPaths.RulesFile}"
            scrape_configs:
              - job_name: "{job}"
                metrics_path: /metrics
                static_configs:
                  - targets: ["{scrapeTarget}"]
            """);
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = dir.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir.FullName, "data")}",
            $"--web.listen-address={new Uri(url).Authority}", "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => ExternalTool.Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => ExternalTool.Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, output, dir, url);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await server.Http.GetAsync("/-/ready")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited || watch.Elapsed > TimeSpan.FromSeconds(60))
            {
                var log = server.Output;
                await server.DisposeAsync();
                throw new InvalidOperationException($"Prometheus did not start: {log}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Evaluates an instant query; returns the API status, error text and the result series.</summary>
    public async Task<(string Status, string? Error, JsonElement[] Result)> QueryAsync(string expression)
    {
        using var response = await Http.PostAsync("/api/v1/query", new FormUrlEncodedContent(new Dictionary<string, string> { ["query"] = expression }));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var status = root.GetProperty("status").GetString()!;
        var error = root.TryGetProperty("error", out var e) ? e.GetString() : null;
        var result = status == "success" ? root.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => r.Clone()).ToArray() : [];
        return (status, error, result);
    }

    /// <summary>The rule groups Prometheus loaded, as <c>/api/v1/rules</c> reports them.</summary>
    public async Task<JsonElement> RulesAsync()
    {
        using var json = await Http.GetFromJsonAsync<JsonDocument>("/api/v1/rules");
        return json!.RootElement.GetProperty("data").GetProperty("groups").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        _dir.Delete(recursive: true);
    }
}
