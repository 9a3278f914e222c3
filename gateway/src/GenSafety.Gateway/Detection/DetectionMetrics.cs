using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Meter <c>GenSafety.Gateway.Detection</c>: <c>gensafety.detection.events</c> (exchanges queued for the detectors,
/// by <c>route</c>), <c>gensafety.detection.shed</c> (exchanges dropped because the queue was full, by <c>route</c>),
/// <c>gensafety.detection.queue.depth</c> (observable gauge), <c>gensafety.detection.batch.duration</c> (s per
/// micro-batch), <c>gensafety.detection.batch.size</c> (events per micro-batch), <c>gensafety.detection.score</c>
/// (each detector's score per client and batch, by <c>detector</c>), <c>gensafety.detection.risk.writes</c> (fused risk
/// written to the enforcement state), <c>gensafety.detection.errors</c> (by <c>stage</c>), and sybil linking's
/// <c>gensafety.detection.sybil.pass.duration</c>, <c>.sybil.clusters</c> and <c>.sybil.propagations</c>. Tags are bounded: route
/// kinds, detector names and stage names only; never a client id or text.
/// </summary>
public sealed class DetectionMetrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "GenSafety.Gateway.Detection";

    private readonly Counter<long> _events;
    private readonly Counter<long> _shed;
    private readonly Histogram<double> _batchDuration;
    private readonly Histogram<long> _batchSize;
    private readonly Histogram<double> _score;
    private readonly Counter<long> _riskWrites;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _sybilPass;
    private readonly Counter<long> _sybilClusters;
    private readonly Counter<long> _sybilPropagations;
    private readonly Counter<long> _campaignRequests;
    private readonly Counter<long> _campaignWrites;
    private Func<int>? _queueDepth;

    /// <summary>Creates the instruments.</summary>
    public DetectionMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>("gensafety.detection.events", unit: "{event}", description: "Exchanges queued for the detectors, by route.");
        _shed = meter.CreateCounter<long>("gensafety.detection.shed", unit: "{event}", description: "Exchanges not observed because the detection queue was full, by route.");
        meter.CreateObservableGauge("gensafety.detection.queue.depth", () => _queueDepth?.Invoke() ?? 0, unit: "{event}", description: "Exchanges waiting for the detectors.");
        _batchDuration = meter.CreateHistogram<double>("gensafety.detection.batch.duration", unit: "s", description: "Time to run the detectors over one micro-batch, state and risk writes included.");
        _batchSize = meter.CreateHistogram<long>("gensafety.detection.batch.size", unit: "{event}", description: "Events per micro-batch.");
        _score = meter.CreateHistogram<double>("gensafety.detection.score", unit: "1", description: "Detector scores in [0, 1], one per client and micro-batch, by detector.");
        _riskWrites = meter.CreateCounter<long>("gensafety.detection.risk.writes", unit: "{write}", description: "Fused risk signals written to the enforcement state.");
        _errors = meter.CreateCounter<long>("gensafety.detection.errors", unit: "{error}", description: "Detection failures by stage (parse, embed, detector, state, risk, sybil, campaign).");
        _sybilPass = meter.CreateHistogram<double>("gensafety.detection.sybil.pass.duration", unit: "s", description: "One sybil-linking pass over one tenant's recently active clients.");
        _sybilClusters = meter.CreateCounter<long>("gensafety.detection.sybil.clusters", unit: "{cluster}", description: "Clusters of two or more linked clients found by sybil-linking passes.");
        _sybilPropagations = meter.CreateCounter<long>("gensafety.detection.sybil.propagations", unit: "{write}", description: "Cluster risk written to a linked member (source sybil-link).");
        _campaignRequests = meter.CreateCounter<long>("gensafety.detection.campaign.requests", unit: "{request}", description: "Requests recorded under a campaign signature, by kind.");
        _campaignWrites = meter.CreateCounter<long>("gensafety.detection.campaign.writes", unit: "{write}", description: "Campaign risk written to a member of a signature (source campaign), by kind.");
    }

    /// <summary>Reports <paramref name="depth"/> as the queue depth gauge.</summary>
    internal void TrackQueue(Func<int> depth) => _queueDepth = depth;

    /// <summary>Counts one queued exchange.</summary>
    public void Queued(string route)
    {
        if (_events.Enabled)
        {
            _events.Add(1, new KeyValuePair<string, object?>("route", route));
        }
    }

    /// <summary>Counts one shed exchange.</summary>
    public void Shed(string route) => _shed.Add(1, new KeyValuePair<string, object?>("route", route));

    /// <summary>Records one processed micro-batch.</summary>
    public void Batch(int size, TimeSpan elapsed)
    {
        _batchSize.Record(size);
        _batchDuration.Record(elapsed.TotalSeconds);
    }

    /// <summary>Records a detector's score for one client.</summary>
    public void Score(string detector, double score)
    {
        if (_score.Enabled)
        {
            RecordScore(detector, score);
        }
    }

    /// <summary>Counts one risk write.</summary>
    public void RiskWritten() => _riskWrites.Add(1);

    /// <summary>Counts one failure in <paramref name="stage"/> (one of <see cref="DetectionStages"/>).</summary>
    public void Error(string stage) => _errors.Add(1, new KeyValuePair<string, object?>("stage", stage));

    /// <summary>Records one sybil-linking pass: its duration and the clusters (two or more members) it found.</summary>
    public void SybilPass(TimeSpan elapsed, int clusters)
    {
        _sybilPass.Record(elapsed.TotalSeconds);
        _sybilClusters.Add(clusters);
    }

    /// <summary>Counts one cluster risk written to a member.</summary>
    public void SybilPropagated() => _sybilPropagations.Add(1);

    /// <summary>Counts a batch's requests recorded under a campaign signature of <paramref name="kind"/>.</summary>
    public void CampaignSignature(string kind, int requests) => _campaignRequests.Add(requests, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Counts one campaign risk written to a member.</summary>
    public void CampaignRiskWritten(string kind) => _campaignWrites.Add(1, new KeyValuePair<string, object?>("kind", kind));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordScore(string detector, double score) => _score.Record(score, new KeyValuePair<string, object?>("detector", detector));
}

/// <summary>Values of the <c>stage</c> tag of <c>gensafety.detection.errors</c>.</summary>
public static class DetectionStages
{
    /// <summary>Reading an observation into a <see cref="QueryEvent"/>.</summary>
    public const string Parse = "parse";

    /// <summary>Embedding prompts.</summary>
    public const string Embed = "embed";

    /// <summary>A detector threw.</summary>
    public const string Detector = "detector";

    /// <summary>Reading or writing detector state.</summary>
    public const string State = "state";

    /// <summary>Writing risk or coverage to the enforcement state.</summary>
    public const string Risk = "risk";

    /// <summary>Recording activity for sybil linking, or a linking pass.</summary>
    public const string Sybil = "sybil";

    /// <summary>Recording or scoring a campaign signature.</summary>
    public const string Campaign = "campaign";
}
