using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Instruments of meter <c>GenSafety.Gateway.Admission</c>: <c>gensafety.admission.decisions</c>
/// (outcome, limit, backend), <c>gensafety.admission.duration</c> (s; backend),
/// <c>gensafety.admission.fail_open</c> (decisions taken on local limits while Redis failed) and
/// <c>gensafety.admission.fail_open.duration</c> (s, total time in fail-open) and
/// <c>gensafety.admission.settlement_failures</c> (outcome: <c>retry</c> or <c>lost</c>).
/// Tags are bounded: never a tenant or client id.
/// </summary>
public sealed class AdmissionMetrics
{
    /// <summary>Name of the meter, for <c>AddMeter</c> in telemetry set-up.</summary>
    public const string MeterName = "GenSafety.Gateway.Admission";

    private readonly Counter<long> _decisions;
    private readonly Counter<long> _failOpen;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _settlementFailures;
    private readonly Lock _failOpenLock = new();
    private long _failOpenSince;
    private double _failOpenSeconds;

    /// <summary>Creates the instruments.</summary>
    public AdmissionMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        _decisions = meter.CreateCounter<long>("gensafety.admission.decisions", unit: "{decision}", description: "Admission decisions.");
        _failOpen = meter.CreateCounter<long>(
            "gensafety.admission.fail_open", unit: "{decision}", description: "Admission decisions taken on per-replica local limits because Redis was unreachable.");
        meter.CreateObservableCounter(
            "gensafety.admission.fail_open.duration", FailOpenSeconds, unit: "s", description: "Total time this replica admitted on local limits because Redis was unreachable.");
        _settlementFailures = meter.CreateCounter<long>(
            "gensafety.admission.settlement_failures", unit: "{settlement}",
            description: "Settlements (usage, token refunds, stream releases) Redis did not apply: retry (the connection failed; sent again until Redis answers) or lost (given up).");
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
        AdmissionLimit.Blocked => "blocked",
        AdmissionLimit.ChallengeRequired => "challenge_required",
        AdmissionLimit.ChallengeRejected => "challenge_rejected",
        AdmissionLimit.PolicyChanged => "policy_changed",
        AdmissionLimit.UnknownClient => "unknown_client",
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

    /// <summary>Marks the start of a fail-open period (for <c>gensafety.admission.fail_open.duration</c>).</summary>
    public void RecordFailOpenStarted() => Interlocked.Exchange(ref _failOpenSince, Stopwatch.GetTimestamp());

    /// <summary>Marks the end of a fail-open period: its length is added to the total.</summary>
    public void RecordFailOpenEnded()
    {
        long since = Interlocked.Exchange(ref _failOpenSince, 0);
        if (since != 0)
        {
            lock (_failOpenLock)
            {
                _failOpenSeconds += Stopwatch.GetElapsedTime(since).TotalSeconds;
            }
        }
    }

    private double FailOpenSeconds()
    {
        long since = Volatile.Read(ref _failOpenSince);
        lock (_failOpenLock)
        {
            return _failOpenSeconds + (since == 0 ? 0 : Stopwatch.GetElapsedTime(since).TotalSeconds);
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

    /// <summary>Counts settlements whose batch failed on the connection and is sent again.</summary>
    public void RecordSettlementsRetried(int count) => _settlementFailures.Add(count, new KeyValuePair<string, object?>("outcome", "retry"));

    /// <summary>Counts settlements given up (Redis refused the script, stayed away too long, or too many waited).</summary>
    public void RecordSettlementsLost(int count) => _settlementFailures.Add(count, new KeyValuePair<string, object?>("outcome", "lost"));

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
