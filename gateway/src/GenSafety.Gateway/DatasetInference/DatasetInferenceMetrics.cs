using System.Diagnostics.Metrics;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// Meter <c>GenSafety.Gateway.DatasetInference</c>: <c>gensafety.dataset_inference.jobs</c> (ended jobs by status),
/// <c>gensafety.dataset_inference.job.duration</c> (s), <c>gensafety.dataset_inference.scored_texts</c> (upstream texts
/// scored), <c>gensafety.dataset_inference.verdicts</c> (by verdict).
/// </summary>
internal sealed class DatasetInferenceMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "GenSafety.Gateway.DatasetInference";

    private readonly Counter<long> _jobs;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _scored;
    private readonly Counter<long> _verdicts;

    public DatasetInferenceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _jobs = meter.CreateCounter<long>("gensafety.dataset_inference.jobs", description: "Dataset-inference jobs that ended, by status.");
        _duration = meter.CreateHistogram<double>("gensafety.dataset_inference.job.duration", "s", "Run time of dataset-inference jobs.");
        _scored = meter.CreateCounter<long>("gensafety.dataset_inference.scored_texts", description: "Texts scored on the upstream for dataset inference.");
        _verdicts = meter.CreateCounter<long>("gensafety.dataset_inference.verdicts", description: "Dataset-inference reports by verdict.");
    }

    public void Job(string status, TimeSpan duration, long scored)
    {
        _jobs.Add(1, new KeyValuePair<string, object?>("status", status));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", status));
        _scored.Add(scored);
    }

    public void Verdict(string verdict) => _verdicts.Add(1, new KeyValuePair<string, object?>("verdict", verdict));
}
