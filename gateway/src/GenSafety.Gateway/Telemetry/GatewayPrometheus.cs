using Prometheus;

namespace GenSafety.Gateway.Telemetry;

/// <summary>
/// prometheus-net exports the gateway's .NET <c>Meter</c>s (<c>GenSafety.*</c>) at <c>/metrics</c>, next to its own
/// process and runtime metrics, with histogram buckets fine enough to see sub-millisecond gateway overhead.
/// </summary>
public static class GatewayPrometheus
{
    private static readonly double[] LatencyBuckets =
    [
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
    ];

    // Scores and risks lie in [0, 1]; the enforcement thresholds sit between 0.3 and 0.9.
    private static readonly double[] RatioBuckets = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1];

    /// <summary>Prefix of the meters exported (every area's meter is named <c>GenSafety.*</c>).</summary>
    public const string MeterPrefix = "GenSafety.";

    private const string RuntimeMeter = "System.Runtime";

    private static int _configured;

    /// <summary>Configures the meter adapter once per process (it is process-wide).</summary>
    public static void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1)
        {
            return;
        }

        // prometheus-net's EventCounter bridge turns on Kestrel's, HttpClient's, sockets' and YARP's EventSources, which
        // then write events on every request. Runtime health comes from the "System.Runtime" meter instead
        // (observable instruments, no per-request cost).
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true });
        // Exemplars (trace ids on histogram buckets) cost a lookup and a lock on every observation.
        var factory = Metrics.WithCustomRegistry(Metrics.DefaultRegistry);
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        Metrics.ConfigureMeterAdapter(options =>
        {
            options.MetricFactory = factory;
            // Only the gateway's own meters: ASP.NET Core's per-request meters would double what
            // gensafety.gateway.* already records and cost CPU on every request.
            options.InstrumentFilterPredicate = instrument =>
                instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal) || instrument.Meter.Name == RuntimeMeter;
            options.ResolveHistogramBuckets = instrument => instrument.Unit switch
            {
                "s" => LatencyBuckets,
                "1" => RatioBuckets,
                "{token}" => GenAiMetrics.TokenBuckets,
                _ => Histogram.ExponentialBuckets(1, 2, 16),
            };
        });

        // The adapter starts listening to meters only at the first collection; without this, everything measured
        // before the first scrape would be lost.
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
    }
}
