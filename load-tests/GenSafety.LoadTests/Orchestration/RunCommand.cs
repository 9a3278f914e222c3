using System.Text.Json;
using System.Text.Json.Serialization;
using GenSafety.LoadTests.Cli;
using GenSafety.LoadTests.Processes;
using GenSafety.LoadTests.Reporting;

namespace GenSafety.LoadTests.Orchestration;

/// <summary>
/// <c>run</c>: start the stack, measure every scenario on every target, print the table and write
/// the Markdown and JSON reports. Exit codes: 0 measured; 1 could not measure; 2 a target's error
/// rate was above <see cref="RunOptions.MaxErrorRate"/>; 130 cancelled.
/// </summary>
internal static class RunCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<(int ExitCode, RunReport? Report)> ExecuteAsync(RunOptions options, CancellationToken cancellationToken)
    {
        var log = Console.Error;
        var missing = RequiredFiles(options).Where(f => !File.Exists(f.Path)).ToList();
        if (missing.Count > 0)
        {
            foreach (var (what, path) in missing)
            {
                log.WriteLine($"error: {what} not found: {path}");
            }

            log.WriteLine("Build in Release first (load-tests/run.sh does), pass the paths as options, or leave the target out with --targets.");
            return (1, null);
        }

        var machine = MachineInfo.Capture(options.RepoRoot);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
            using var stack = await TargetStack.StartAsync(options, http, log, cancellationToken);
            log.WriteLine($"measuring {string.Join(", ", options.Scenarios)} on {string.Join(", ", options.Targets)}: " +
                (options.Rate > 0 ? $"open loop {options.Rate:0.###}/s, at most {options.Concurrency} in flight, " : $"concurrency {options.Concurrency}, ") + $"{options.Duration.TotalSeconds:0.#} s per target in {options.Rounds} slice(s)");
            var measured = await Measurement.RunAsync(options, stack, log, cancellationToken);
            var report = ReportBuilder.Build(options, machine.Finish(), measured);
            Write(options, report);
            return (ErrorRateExceeded(options, report, log) ? 2 : 0, report);
        }
        catch (ChildProcessException ex)
        {
            log.WriteLine($"error: {ex.Message}");
            return (1, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log.WriteLine("cancelled; child processes stopped");
            return (130, null);
        }
    }

    private static void Write(RunOptions options, RunReport report)
    {
        var markdown = MarkdownReport.Render(report);
        Console.Out.WriteLine();
        Console.Out.Write(markdown);
        Directory.CreateDirectory(Path.GetDirectoryName(options.OutPath)!);
        File.WriteAllText(options.OutPath, markdown);
        var jsonPath = Path.ChangeExtension(options.OutPath, ".json");
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, Json) + "\n");
        Console.Error.WriteLine($"wrote {options.OutPath} and {jsonPath}");
    }

    private static bool ErrorRateExceeded(RunOptions options, RunReport report, TextWriter log)
    {
        var over = report.Rows.Where(r => r.ErrorRate > options.MaxErrorRate).ToList();
        foreach (var row in over)
        {
            log.WriteLine($"error: {row.Scenario} / {row.Target}: error rate {row.ErrorRate:P2} is above {options.MaxErrorRate:P2}");
        }

        return over.Count > 0;
    }

    private static IEnumerable<(string What, string Path)> RequiredFiles(RunOptions options)
    {
        if (options.Upstream == RunOptions.ReferenceUpstream)
        {
            yield return ("reference model (--reference-model-dll)", options.ReferenceModelDll);
        }

        if (options.Targets.Contains(RunOptions.Bare))
        {
            yield return ("bare proxy (--bare-proxy-dll)", options.BareProxyDll);
        }

        if (!options.GatewayStandIn)
        {
            foreach (var gateway in options.Gateways.DistinctBy(g => g.Dll))
            {
                yield return (gateway.Target == RunOptions.GatewayB ? "gateway-b (--gateway-b-dll)" : "gateway (--gateway-dll)", gateway.Dll);
            }
        }
    }
}
