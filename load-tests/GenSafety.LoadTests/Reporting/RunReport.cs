using GenSafety.LoadTests.Cli;

namespace GenSafety.LoadTests.Reporting;

/// <summary>Everything a run found; serialised as JSON and rendered as Markdown.</summary>
internal sealed record RunReport(
    MachineInfo Machine,
    RunParameters Parameters,
    IReadOnlyList<TargetRow> Rows,
    IReadOnlyList<PairComparison> GatewayComparisons,
    IReadOnlyList<TargetCheck> Checks);

internal sealed record RunParameters(
    IReadOnlyList<string> Targets,
    IReadOnlyList<string> Scenarios,
    int Concurrency,
    double Rate,
    double WarmupSeconds,
    double DurationSeconds,
    int Rounds,
    string Upstream,
    double EchoStreamPauseMs,
    string Gc,
    string ChildLogLevel,
    int MaxTokens,
    string Prompt,
    IReadOnlyList<GatewayInstance> Gateways,
    bool GatewayStandIn);

/// <summary>Latency percentiles in milliseconds (NaN when nothing was recorded).</summary>
internal sealed record Percentiles(long Count, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs);

/// <summary>
/// One (scenario, target): throughput, latency (send to last byte), first-token latency for streams,
/// CPU time per completed request of the target's own process, its upstream and the load generator.
/// <see cref="Label"/> is the name the target is shown under (gateway-b's <c>--gateway-b-label</c>).
/// </summary>
internal sealed record TargetRow(
    string Scenario,
    string Target,
    string Label,
    double MeasuredSeconds,
    long Requests,
    long Errors,
    double Rps,
    Percentiles Latency,
    Percentiles? FirstToken,
    double CpuMicrosPerRequest,
    double UpstreamCpuMicrosPerRequest,
    double ClientCpuMicrosPerRequest,
    Comparison? VersusBare,
    IReadOnlyDictionary<string, long> ErrorKinds)
{
    public double ErrorRate => Requests + Errors == 0 ? 1 : (double)Errors / (Requests + Errors);
}

/// <summary>One row against another in the same scenario (bare YARP, or gateway for gateway-b): ratios (×), added milliseconds, CPU µs/req difference.</summary>
internal sealed record Comparison(
    double RpsRatio,
    double AddedP50Ms,
    double AddedP99Ms,
    double? AddedFirstTokenP50Ms,
    double? AddedFirstTokenP99Ms,
    double CpuRatio,
    double CpuMicrosPerRequestDelta);

/// <summary><see cref="Target"/> against <see cref="Baseline"/> in one scenario of the same run (gateway-b against gateway).</summary>
internal sealed record PairComparison(string Scenario, string Target, string Baseline, Comparison Versus);

/// <summary>A design target (DESIGN.md, "Targets every issue is measured against") checked on this run.</summary>
internal sealed record TargetCheck(string Scenario, string Target, string Check, double Measured, string Unit, string Limit, bool Pass);
