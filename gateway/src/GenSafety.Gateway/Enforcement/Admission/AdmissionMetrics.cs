using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Instruments of meter <c>GenSafety.Gateway.Admission</c>: <c>gensafety.admission.decisions</c>
/// (outcome, limit, backend), <c>gensafety.admission.duration</c> (s; backend) and
/// <c>gensafety.admission.fail_open</c> (decisions taken on local limits while Redis failed).
/// Tags are bounded: never a tenant or client id.
/// </summary>
public sealed class AdmissionMetrics
{
    /// <summary>Name of the meter, for <c>AddMeter</c> in telemetry set-up.</summary>
    public const string MeterName = "GenSafety.Gateway.Admission";

    private readonly Counter<long> _decisions;
    private readonly Counter<long> _failOpen;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments.</summary>
    public AdmissionMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        _decisions = meter.CreateCounter<long>("gensafety.admission.decisions", unit: "{decision}", description: "Admission decisions.");
        _failOpen = meter.CreateCounter<long>(
            "gensafety.admission.fail_open", unit: "{decision}", description: "Admission decisions taken on per-replica local limits because Redis was unreachable.");
        _duration = meter.CreateHistogram<double>(
            "gensafety.admission.duration",
            unit: "s",
            description: "Duration of admission decisions.",
            tags: null,
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
            });
    }

    /// <summary>Tag value of a limit (<c>none</c> when admitted).</summary>
    public static string LimitTag(AdmissionLimit limit) => limit switch
    {
        AdmissionLimit.Requests => "requests",
        AdmissionLimit.Tokens => "tokens",
        AdmissionLimit.ConcurrentStreams => "concurrent_streams",
        AdmissionLimit.DailyTokens => "daily_tokens",
        _ => "none",
    };

    /// <summary>Counts a decision and records its duration since <paramref name="startTimestamp"/>.</summary>
    public void RecordDecision(AdmissionDecision decision, string backend, long startTimestamp)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (_decisions.Enabled || _duration.Enabled)
        {
            RecordDecisionCore(decision, backend, startTimestamp);
        }
    }

    /// <summary>Counts a decision taken on local limits while Redis failed.</summary>
    public void RecordFailOpen()
    {
        if (_failOpen.Enabled)
        {
            _failOpen.Add(1);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordDecisionCore(AdmissionDecision decision, string backend, long startTimestamp)
    {
        var tags = new TagList
        {
            { "outcome", decision.Admitted ? "admitted" : "rejected" },
            { "limit", LimitTag(decision.Limit) },
            { "backend", backend },
        };
        _decisions.Add(1, tags);
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("backend", backend));
    }
}
