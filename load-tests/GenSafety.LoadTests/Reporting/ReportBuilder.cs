using GenSafety.LoadTests.Cli;
using GenSafety.LoadTests.Generation;
using GenSafety.LoadTests.Orchestration;
using GenSafety.LoadTests.Scenarios;
using HdrHistogram;

namespace GenSafety.LoadTests.Reporting;

/// <summary>Turns raw measurements into rows, comparisons against bare YARP, and design-target checks.</summary>
internal static class ReportBuilder
{
    public static RunReport Build(RunOptions options, MachineInfo machine, IReadOnlyList<MeasuredTarget> measured)
    {
        var rows = measured.Select(ToRow).ToList();
        var withBaseline = rows.Select(row => row with { VersusBare = Compare(row, rows) }).ToList();
        return new RunReport(machine, Parameters(options), withBaseline, Checks(withBaseline));
    }

    private static TargetRow ToRow(MeasuredTarget m)
    {
        var result = m.Result;
        var completed = Math.Max(1, result.Successes + result.Errors);
        double PerRequest(string role) => m.Cpu.TryGetValue(role, out var cpu) ? cpu.TotalMicroseconds / completed : double.NaN;
        return new TargetRow(
            m.Scenario,
            m.Target,
            result.Measured.TotalSeconds,
            result.Successes,
            result.Errors,
            result.Measured > TimeSpan.Zero ? result.Successes / result.Measured.TotalSeconds : 0,
            Summarize(result.Latency),
            m.Scenario == ScenarioNames.ChatStream ? Summarize(result.FirstToken) : null,
            PerRequest(Measurement.FrontCpu),
            PerRequest(Measurement.UpstreamCpu),
            PerRequest(Measurement.ClientCpu),
            null,
            result.ErrorKinds);
    }

    private static Percentiles Summarize(HistogramBase histogram) => new(
        histogram.TotalCount,
        LatencyHistograms.PercentileMs(histogram, 50),
        LatencyHistograms.PercentileMs(histogram, 90),
        LatencyHistograms.PercentileMs(histogram, 99),
        LatencyHistograms.PercentileMs(histogram, 99.9),
        histogram.TotalCount == 0 ? double.NaN : histogram.GetMaxValue() / 1000.0,
        histogram.TotalCount == 0 ? double.NaN : histogram.GetMean() / 1000.0);

    private static VersusBare? Compare(TargetRow row, List<TargetRow> rows)
    {
        var bare = rows.FirstOrDefault(r => r.Scenario == row.Scenario && r.Target == RunOptions.Bare);
        if (bare is null)
        {
            return null;
        }

        return new VersusBare(
            row.Rps / bare.Rps,
            row.Latency.P50Ms - bare.Latency.P50Ms,
            row.Latency.P99Ms - bare.Latency.P99Ms,
            row.FirstToken is null || bare.FirstToken is null ? null : row.FirstToken.P50Ms - bare.FirstToken.P50Ms,
            row.FirstToken is null || bare.FirstToken is null ? null : row.FirstToken.P99Ms - bare.FirstToken.P99Ms,
            row.CpuMicrosPerRequest / bare.CpuMicrosPerRequest);
    }

    /// <summary>DESIGN.md targets for the gateway, as far as this run can show them (ratios against bare YARP).</summary>
    private static List<TargetCheck> Checks(List<TargetRow> rows)
    {
        var checks = new List<TargetCheck>();
        foreach (var row in rows.Where(r => r.Target == RunOptions.Gateway && r.VersusBare is not null))
        {
            var vs = row.VersusBare!;
            if (row.Scenario == ScenarioNames.Chat)
            {
                checks.Add(new(row.Scenario, "throughput vs bare YARP", vs.RpsRatio, "x", ">= 0.70x", vs.RpsRatio >= 0.70));
                checks.Add(new(row.Scenario, "added p50 latency", vs.AddedP50Ms, "ms", "<= 1 ms", vs.AddedP50Ms <= 1));
                checks.Add(new(row.Scenario, "added p99 latency", vs.AddedP99Ms, "ms", "<= 5 ms", vs.AddedP99Ms <= 5));
                checks.Add(new(row.Scenario, "CPU per request vs bare YARP", vs.CpuRatio, "x", "<= 1.5x", vs.CpuRatio <= 1.5));
            }
            else if (vs.AddedFirstTokenP50Ms is { } addedP50 && vs.AddedFirstTokenP99Ms is { } addedP99)
            {
                checks.Add(new(row.Scenario, "added time-to-first-token p50", addedP50, "ms", "<= 5 ms", addedP50 <= 5));
                checks.Add(new(row.Scenario, "added time-to-first-token p99", addedP99, "ms", "<= 5 ms", addedP99 <= 5));
            }
        }

        return checks;
    }

    private static RunParameters Parameters(RunOptions o) => new(
        o.Targets,
        o.Scenarios,
        o.Concurrency,
        o.Warmup.TotalSeconds,
        o.Duration.TotalSeconds,
        o.Rounds,
        o.Upstream,
        o.EchoStreamPause.TotalMilliseconds,
        o.Gc,
        o.ChildLogLevel,
        o.MaxTokens,
        o.Prompt,
        o.GatewayArgs,
        o.GatewayStandIn);
}
