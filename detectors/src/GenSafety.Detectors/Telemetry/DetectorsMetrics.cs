using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace GenSafety.Detectors.Telemetry;

/// <summary>
/// Instruments of the detectors library, all in the meter <see cref="MeterName"/>:
/// <c>gensafety.detectors.embedder.provider</c> (observable gauge, 1 per loaded model embedder; tags
/// <c>embedder</c>, <c>provider</c>: <c>CPU</c> or <c>CUDA</c>), <c>gensafety.detectors.embedder.inputs</c>
/// (texts embedded; tag <c>embedder</c>) and <c>gensafety.detectors.embedder.duration</c> (seconds per embedding
/// call; tag <c>embedder</c>). Tags are bounded: never a tenant, client or text.
/// </summary>
public sealed class DetectorsMetrics
{
    /// <summary>Name of the meter (add it to the OpenTelemetry or Prometheus exporter).</summary>
    public const string MeterName = "GenSafety.Detectors";

    private readonly ConcurrentDictionary<object, KeyValuePair<string, object?>[]> _providers = new();
    private readonly Counter<long> _inputs;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments in a meter from <paramref name="meterFactory"/>.</summary>
    public DetectorsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge(
            "gensafety.detectors.embedder.provider",
            ObserveProviders,
            unit: "{embedder}",
            description: "1 for the ONNX Runtime execution provider each loaded model embedder runs on.");
        _inputs = meter.CreateCounter<long>("gensafety.detectors.embedder.inputs", unit: "{input}", description: "Texts embedded, by embedder.");
        _duration = meter.CreateHistogram<double>("gensafety.detectors.embedder.duration", unit: "s", description: "Duration of embedding calls, by embedder.");
    }

    /// <summary>Reports <paramref name="provider"/> for <paramref name="embedder"/> until <see cref="UntrackProvider"/>.</summary>
    internal void TrackProvider(object embedder, string name, string provider) =>
        _providers[embedder] = [new("embedder", name), new("provider", provider)];

    /// <summary>Stops reporting the provider of <paramref name="embedder"/> (it was disposed).</summary>
    internal void UntrackProvider(object embedder) => _providers.TryRemove(embedder, out _);

    /// <summary>Records one embedding call of <paramref name="inputs"/> texts.</summary>
    internal void Embedded(string embedder, int inputs, TimeSpan elapsed)
    {
        if (_inputs.Enabled)
        {
            _inputs.Add(inputs, new KeyValuePair<string, object?>("embedder", embedder));
        }

        if (_duration.Enabled)
        {
            _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("embedder", embedder));
        }
    }

    private IEnumerable<Measurement<int>> ObserveProviders()
    {
        foreach (var tags in _providers.Values)
        {
            yield return new Measurement<int>(1, tags);
        }
    }
}
