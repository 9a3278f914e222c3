using GenSafety.Gateway.Detection.Learned;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection;

/// <summary>What <c>/readyz</c> reports about detection: detectors, prompt embedders, MiniLM's execution provider, the queue.</summary>
public sealed class DetectionStatus
{
    private readonly EnabledDetectors _detectors;
    private readonly DetectionEmbedders _embedders;
    private readonly DetectionQueue _queue;
    private readonly DetectionOptions _options;
    private readonly LearnedModelHost? _learned;

    internal DetectionStatus(
        EnabledDetectors detectors, DetectionEmbedders embedders, DetectionQueue queue, IOptions<DetectionOptions> options, LearnedModelHost? learned = null)
    {
        _learned = learned;
        _detectors = detectors;
        _embedders = embedders;
        _queue = queue;
        _options = options.Value;
    }

    /// <summary>The current report.</summary>
    public DetectionHealth Report()
    {
        var active = _detectors.Active.Count > 0;
        return new DetectionHealth(
            active,
            [.. _detectors.Active.Select(a => a.Detector.Name)],
            _options.Embedder,
            _options.Tenants.Where(t => t.Value.Embedder is not null).ToDictionary(t => t.Key, t => t.Value.Embedder!, StringComparer.Ordinal),
            active ? _embedders.MiniLmExecutionProvider : null,
            _queue.Depth,
            _options.QueueCapacity)
        {
            DetectorStatus = _detectors.Active.Where(a => a.Detector is IDetectorStatus)
                .ToDictionary(a => a.Detector.Name, a => ((IDetectorStatus)a.Detector).Status, StringComparer.Ordinal),
            Fusion = _options.Fusion,
            LearnedScorer = _learned?.Status(),
        };
    }
}

/// <summary>Detection as <c>/readyz</c> shows it.</summary>
/// <param name="Enabled">Whether any detector runs.</param>
/// <param name="Detectors">The detectors that run.</param>
/// <param name="Embedder">The default prompt embedder.</param>
/// <param name="TenantEmbedders">Tenants with their own prompt embedder.</param>
/// <param name="ExecutionProvider">ONNX Runtime's execution provider for MiniLM (<c>CPU</c>/<c>CUDA</c>) when configuration uses MiniLM.</param>
/// <param name="QueueDepth">Observations waiting.</param>
/// <param name="QueueCapacity">Observations the queue holds before shedding.</param>
public sealed record DetectionHealth(
    bool Enabled, IReadOnlyList<string> Detectors, string Embedder, IReadOnlyDictionary<string, string> TenantEmbedders, string? ExecutionProvider,
    int QueueDepth, int QueueCapacity)
{
    /// <summary>Per enabled detector that reports one (<see cref="IDetectorStatus"/>), its per-tenant status.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> DetectorStatus { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);

    /// <summary>The fusion in use (<c>GenSafety:Detection:Fusion</c>).</summary>
    public string Fusion { get; init; } = GenSafety.Gateway.Detection.Fusion.RiskFusionNames.Analytic;

    /// <summary>The learned scorer's model, when the <c>learned</c> fusion is in use.</summary>
    public LearnedScorerStatus? LearnedScorer { get; init; }
}
