using GenSafety.LoadTests.Cli;
using GenSafety.LoadTests.Reporting;
using GenSafety.LoadTests.Scenarios;

namespace GenSafety.LoadTests.Orchestration;

/// <summary>
/// <c>selftest</c>: the whole <c>run</c> pipeline against the built-in echo upstream (direct, bare
/// YARP and both gateway targets as echo stand-ins by default), then checks that what it measured is
/// plausible. Needs no gateway and no model.
/// </summary>
internal static class SelfTestCommand
{
    public static async Task<int> ExecuteAsync(RunOptions options, CancellationToken cancellationToken)
    {
        var (exitCode, report) = await RunCommand.ExecuteAsync(options, cancellationToken);
        if (report is null)
        {
            return exitCode;
        }

        var failures = Verify(report).ToList();
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"selftest: FAIL {failure}");
        }

        Console.Error.WriteLine(failures.Count == 0 && exitCode == 0
            ? $"selftest: OK ({report.Rows.Count} scenario/target pairs measured)"
            : "selftest: FAILED");
        return failures.Count == 0 ? exitCode : 1;
    }

    private static IEnumerable<string> Verify(RunReport report)
    {
        foreach (var row in report.Rows)
        {
            var name = $"{row.Scenario} / {row.Target}";
            if (row.Requests == 0 || row.Rps <= 0)
            {
                yield return $"{name}: no successful request";
            }

            if (row.Latency.Count != row.Requests || double.IsNaN(row.Latency.P99Ms))
            {
                yield return $"{name}: latency histogram holds {row.Latency.Count} values for {row.Requests} requests";
            }

            if (row.Scenario == ScenarioNames.ChatStream && row.FirstToken?.Count != row.Requests)
            {
                yield return $"{name}: {row.FirstToken?.Count ?? 0} first-token times for {row.Requests} streams";
            }

            // With a pause after the first streamed token the first token must come measurably before the last byte.
            if (row.FirstToken is { } ttft && (report.Parameters.EchoStreamPauseMs > 0 ? ttft.P50Ms >= row.Latency.P50Ms : ttft.P50Ms > row.Latency.P50Ms))
            {
                yield return $"{name}: first token p50 {ttft.P50Ms} ms is not before the last byte p50 {row.Latency.P50Ms} ms";
            }

            if (!(row.CpuMicrosPerRequest > 0) || !(row.ClientCpuMicrosPerRequest > 0))
            {
                yield return $"{name}: no CPU time read (target {row.CpuMicrosPerRequest} µs/req, client {row.ClientCpuMicrosPerRequest} µs/req)";
            }
        }

        var targets = report.Rows.Select(r => r.Target).Distinct().ToList();
        if (targets.Contains(RunOptions.Bare) && report.Rows.Any(r => r.VersusBare is null))
        {
            yield return "rows without a comparison against bare YARP";
        }

        if (targets.Contains(RunOptions.Gateway) && targets.Contains(RunOptions.GatewayB)
            && report.GatewayComparisons.Count != report.Parameters.Scenarios.Count)
        {
            yield return $"{report.GatewayComparisons.Count} gateway-b vs gateway comparisons for {report.Parameters.Scenarios.Count} scenario(s)";
        }
    }
}
