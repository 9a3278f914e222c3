using System.Diagnostics.Metrics;

namespace GenSafety.Gateway.Detection.Learned;

/// <summary>
/// The learned scorer's instruments on the detection meter (<c>GenSafety.Gateway.Detection</c>):
/// <c>gensafety.detection.learned.model</c> (1, tagged with the loaded model's version, sha256 and provider),
/// <c>gensafety.detection.learned.reloads</c> (tagged <c>outcome</c> loaded/refused) and
/// <c>gensafety.detection.learned.inference.duration</c> (seconds per batch).
/// </summary>
public sealed class LearnedScorerMetrics
{
    private readonly Counter<long> _reloads;
    private readonly Histogram<double> _inference;
    private Func<LearnedScorerStatus?>? _status;

    /// <summary>Creates the instruments.</summary>
    public LearnedScorerMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(DetectionMetrics.MeterName);
        _reloads = meter.CreateCounter<long>("gensafety.detection.learned.reloads", description: "Learned-scorer model loads by outcome.");
        _inference = meter.CreateHistogram<double>("gensafety.detection.learned.inference.duration", unit: "s",
            description: "Time to score one micro-batch with the learned model.");
        meter.CreateObservableGauge("gensafety.detection.learned.model", ObserveModel, description: "The learned-scorer model in use (1), by version, sha256 and provider.");
    }

    /// <summary>Where the gauge reads the model in use.</summary>
    public void Track(Func<LearnedScorerStatus?> status) => _status = status;

    /// <summary>Counts a load attempt.</summary>
    public void Reload(bool loaded) => _reloads.Add(1, new KeyValuePair<string, object?>("outcome", loaded ? "loaded" : "refused"));

    /// <summary>Records one batch's inference time.</summary>
    public void Inference(TimeSpan elapsed) => _inference.Record(elapsed.TotalSeconds);

    private IEnumerable<Measurement<int>> ObserveModel()
    {
        if (_status?.Invoke() is { } status)
        {
            yield return new Measurement<int>(1,
                new KeyValuePair<string, object?>("version", status.Version),
                new KeyValuePair<string, object?>("sha256", status.Sha256),
                new KeyValuePair<string, object?>("provider", status.ExecutionProvider));
        }
    }
}
