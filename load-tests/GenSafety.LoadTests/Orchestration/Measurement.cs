using System.Net;
using GenSafety.LoadTests.Cli;
using GenSafety.LoadTests.Generation;
using GenSafety.LoadTests.Processes;
using GenSafety.LoadTests.Scenarios;

namespace GenSafety.LoadTests.Orchestration;

/// <summary>What one (scenario, target) pair measured over all its slices.</summary>
internal sealed record MeasuredTarget(string Scenario, string Target, SliceResult Result, IReadOnlyDictionary<string, TimeSpan> Cpu);

/// <summary>
/// Runs every scenario against every target. Each target's measured time is cut into
/// <see cref="RunOptions.Rounds"/> slices, and the slices of all targets take turns (the starting
/// target rotates every round), so that a noisy neighbour on a shared machine hits every target
/// alike instead of whichever ran last.
/// </summary>
internal static class Measurement
{
    public const string FrontCpu = "front";
    public const string UpstreamCpu = "upstream";
    public const string ClientCpu = "client";

    public static async Task<List<MeasuredTarget>> RunAsync(RunOptions options, TargetStack stack, TextWriter log, CancellationToken cancellationToken)
    {
        using var handler = CreateHandler(options.Concurrency);
        using var client = new HttpMessageInvoker(handler, disposeHandler: false);
        var closedLoop = new ClosedLoopGenerator(client, options.RequestTimeout);
        var openLoop = new OpenLoopGenerator(client, options.RequestTimeout);
        var slice = options.Duration / options.Rounds;
        var results = new List<MeasuredTarget>();

        foreach (var scenarioName in options.Scenarios)
        {
            var scenario = ChatCompletionScenario.Create(scenarioName, options.Prompt, options.MaxTokens);
            var totals = stack.Targets.ToDictionary(t => t.Load.Name, _ => new SliceResult());
            var meters = stack.Targets.ToDictionary(
                t => t.Load.Name,
                t => new CpuMeter(new Dictionary<string, int> { [FrontCpu] = t.Front.Id, [UpstreamCpu] = t.Upstream.Id, [ClientCpu] = Environment.ProcessId }));

            for (var round = 0; round < options.Rounds; round++)
            {
                foreach (var target in Rotate(stack.Targets, round))
                {
                    var warmup = round == 0 ? options.Warmup : options.RewarmUp;
                    var name = target.Load.Name;
                    var measured = options.Rate > 0
                        ? await openLoop.RunAsync(scenario, target.Load, options.Rate, options.Concurrency, warmup, slice, meters[name], cancellationToken)
                        : await closedLoop.RunAsync(scenario, target.Load, options.Concurrency, warmup, slice, meters[name], cancellationToken);
                    stack.EnsureAllRunning();
                    totals[name].Add(measured);
                    log.WriteLine(
                        $"  {scenarioName,-11} round {round + 1}/{options.Rounds} {name,-9} " +
                        $"{measured.Successes / measured.Measured.TotalSeconds,9:0} rps  " +
                        $"p50 {LatencyHistograms.PercentileMs(measured.Latency, 50),8:0.000} ms  " +
                        $"p99 {LatencyHistograms.PercentileMs(measured.Latency, 99),8:0.000} ms  errors {measured.Errors}");
                }
            }

            results.AddRange(stack.Targets.Select(t => new MeasuredTarget(scenarioName, t.Load.Name, totals[t.Load.Name], meters[t.Load.Name].Totals)));
        }

        return results;
    }

    /// <summary>One handler for all targets: its pools are per origin, each capped at the concurrency.</summary>
    private static SocketsHttpHandler CreateHandler(int concurrency) => new()
    {
        MaxConnectionsPerServer = concurrency,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        // Targets take turns; their idle connections must survive the other targets' slices.
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(30),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    private static IEnumerable<T> Rotate<T>(IReadOnlyList<T> items, int by) =>
        Enumerable.Range(0, items.Count).Select(i => items[(i + by) % items.Count]);
}
