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
        var rows = measured.Select(m => ToRow(m, options.Label(m.Target))).ToList();
        var withBaseline = rows.Select(row => row with { VersusBare = CompareWith(row, RunOptions.Bare, rows) }).ToList();
        List<PairComparison> gatewayComparisons = [.. rows
            .Where(row => row.Target == RunOptions.GatewayB)
            .Select(row => CompareWith(row, RunOptions.Gateway, rows) is { } versus ? new PairComparison(row.Scenario, row.Target, RunOptions.Gateway, versus) : null)
            .OfType<PairComparison>()];
        return new RunReport(machine, Parameters(options), withBaseline, gatewayComparisons, Checks(withBaseline));
    }

    private static TargetRow ToRow(MeasuredTarget m, string label)
    {
        var result = m.Result;
        var completed = Math.Max(1, result.Successes + result.Errors);
        double PerRequest(string role) => m.Cpu.TryGetValue(role, out var cpu) ? cpu.TotalMicroseconds / completed : double.NaN;
        return new TargetRow(
            m.Scenario,
            m.Target,
            label,
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

    /// <summary><paramref name="row"/> against the <paramref name="baseline"/> target's row of the same scenario; null when that did not run.</summary>
    private static Comparison? CompareWith(TargetRow row, string baseline, List<TargetRow> rows)
    {
        var other = rows.FirstOrDefault(r => r.Scenario == row.Scenario && r.Target == baseline);
        if (other is null)
        {
            return null;
        }

        return new Comparison(
            row.Rps / other.Rps,
            row.Latency.P50Ms - other.Latency.P50Ms,
            row.Latency.P99Ms - other.Latency.P99Ms,
            row.FirstToken is null || other.FirstToken is null ? null : row.FirstToken.P50Ms - other.FirstToken.P50Ms,
            row.FirstToken is null || other.FirstToken is null ? null : row.FirstToken.P99Ms - other.FirstToken.P99Ms,
            row.CpuMicrosPerRequest / other.CpuMicrosPerRequest,
            row.CpuMicrosPerRequest - other.CpuMicrosPerRequest);
    }

    /// <summary>DESIGN.md targets for each gateway target, as far as this run can show them (ratios against bare YARP).</summary>
    private static List<TargetCheck> Checks(List<TargetRow> rows)
    {
        var checks = new List<TargetCheck>();
        foreach (var row in rows.Where(r => RunOptions.IsGateway(r.Target) && r.VersusBare is not null))
        {
            var vs = row.VersusBare!;
            void Check(string check, double measured, string unit, string limit, bool pass) => checks.Add(new(row.Scenario, row.Label, check, measured, unit, limit, pass));
            if (row.Scenario == ScenarioNames.Chat)
            {
                Check("throughput vs bare YARP", vs.RpsRatio, "x", ">= 0.70x", vs.RpsRatio >= 0.70);
                Check("added p50 latency", vs.AddedP50Ms, "ms", "<= 1 ms", vs.AddedP50Ms <= 1);
                Check("added p99 latency", vs.AddedP99Ms, "ms", "<= 5 ms", vs.AddedP99Ms <= 5);
                Check("CPU per request vs bare YARP", vs.CpuRatio, "x", "<= 1.5x", vs.CpuRatio <= 1.5);
            }
            else if (vs.AddedFirstTokenP50Ms is { } addedP50 && vs.AddedFirstTokenP99Ms is { } addedP99)
            {
                Check("added time-to-first-token p50", addedP50, "ms", "<= 5 ms", addedP50 <= 5);
                Check("added time-to-first-token p99", addedP99, "ms", "<= 5 ms", addedP99 <= 5);
            }
        }

        return checks;
    }

    private static RunParameters Parameters(RunOptions o) => new(
        o.Targets,
        o.Scenarios,
        o.Concurrency,
        o.Rate,
        o.Warmup.TotalSeconds,
        o.Duration.TotalSeconds,
        o.Rounds,
        o.Upstream,
        o.EchoStreamPause.TotalMilliseconds,
        o.Gc,
        o.ChildLogLevel,
        o.MaxTokens,
        o.Prompt,
        [.. o.Gateways.Select(g => g with { Dll = Path.GetRelativePath(o.RepoRoot, g.Dll) })],
        o.GatewayStandIn);
}
