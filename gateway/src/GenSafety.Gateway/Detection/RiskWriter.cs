using GenSafety.Gateway.Detection.Fusion;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Fuses each client's detector results (<see cref="IRiskFusion"/>) and writes them through <see cref="IRiskStore"/>,
/// raise-only so that risk falls by the ladder's decay rather than by a quieter batch: when the fused risk reaches
/// <see cref="DetectionOptions.RiskFloor"/>, the fused risk (source <c>fusion</c>, only when several detectors
/// contribute) and then each contribution at or above the floor (source = detector name). Coverage a detector
/// measured is written with <see cref="IRiskStore.SetCoverageAsync"/>. Clients are written concurrently; a failure
/// costs that client's write only.
/// </summary>
internal sealed class RiskWriter
{
    /// <summary>Source and actor of the fused risk.</summary>
    public const string FusionSource = "fusion";

    private readonly EnabledDetectors _detectors;
    private readonly IRiskFusion _fusion;
    private readonly IRiskStore _risk;
    private readonly double _floor;
    private readonly DetectionMetrics _metrics;
    private readonly ILogger<RiskWriter> _logger;

    public RiskWriter(
        EnabledDetectors detectors, IEnumerable<IRiskFusion> fusions, IRiskStore risk, IOptions<DetectionOptions> options, DetectionMetrics metrics, ILogger<RiskWriter> logger)
    {
        _detectors = detectors;
        _fusion = fusions.Last(f => f.Name == options.Value.Fusion);
        _risk = risk;
        _floor = options.Value.RiskFloor;
        _metrics = metrics;
        _logger = logger;
    }

    public Task WriteAsync(IReadOnlyList<ClientBatch> clients, DetectorResult?[][] results, CancellationToken cancellationToken)
    {
        var writes = new List<Task>();
        for (var c = 0; c < clients.Count; c++)
        {
            var signals = new List<DetectorSignal>(_detectors.Active.Count);
            double? coverage = null;
            for (var d = 0; d < _detectors.Active.Count; d++)
            {
                if (results[c][d] is not { } result)
                {
                    continue;
                }

                var active = _detectors.Active[d];
                _metrics.Score(active.Detector.Name, result.Score);
                signals.Add(new DetectorSignal(active.Detector.Name, result.Score, active.Weight, result.Reason));
                coverage = result.EmbeddingCoverage ?? coverage;
            }

            var fused = _fusion.Fuse(signals);
            if (fused.Score >= _floor || coverage is not null)
            {
                writes.Add(WriteClientAsync(clients[c], fused, coverage, cancellationToken));
            }
        }

        return Task.WhenAll(writes);
    }

    private async Task WriteClientAsync(ClientBatch client, FusedRisk fused, double? coverage, CancellationToken cancellationToken)
    {
        try
        {
            if (coverage is { } c)
            {
                await _risk.SetCoverageAsync(client.Tenant, client.ClientId, Math.Clamp(c, 0, 1), cancellationToken);
            }

            if (fused.Score < _floor)
            {
                return;
            }

            if (fused.Contributions.Count > 1)
            {
                await SetAsync(client, new RiskUpdate(fused.Score, FusionSource, fused.Reason, FusionSource, RaiseOnly: true), cancellationToken);
            }

            foreach (var contribution in fused.Contributions)
            {
                if (contribution.Score >= _floor)
                {
                    await SetAsync(client, new RiskUpdate(contribution.Score, contribution.Detector, contribution.Reason, contribution.Detector, RaiseOnly: true), cancellationToken);
                }
            }
        }
        catch (StateStoreUnavailableException ex)
        {
            _metrics.Error(DetectionStages.Risk);
            DetectionLog.RiskWriteFailed(_logger, ex);
        }
    }

    private async Task SetAsync(ClientBatch client, RiskUpdate update, CancellationToken cancellationToken)
    {
        await _risk.SetRiskAsync(client.Tenant, client.ClientId, update, cancellationToken);
        _metrics.RiskWritten();
    }
}
