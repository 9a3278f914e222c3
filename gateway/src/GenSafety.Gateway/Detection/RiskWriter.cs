using GenSafety.Gateway.Detection.Fusion;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Fuses each client's detector results (<see cref="IRiskFusion"/>) and writes them through <see cref="IRiskStore"/>,
/// raise-only so that risk falls by the ladder's decay rather than by a quieter batch: when the fused risk reaches
/// <see cref="DetectionOptions.RiskFloor"/>, the fused risk (source <c>fusion</c>, only when several detectors
/// contribute, or when the fusion's score stands alone) and then each contribution at or above the floor (source = detector name). Coverage a detector
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
        var inputs = new FusionInput[clients.Count];
        for (var c = 0; c < clients.Count; c++)
        {
            inputs[c] = FusionInputs.Build(_detectors, clients[c], results[c]);
            foreach (var signal in inputs[c].Signals)
            {
                _metrics.Score(signal.Detector, signal.Score);
            }
        }

        var fused = _fusion.FuseBatch(inputs);
        var writes = new List<Task>();
        for (var c = 0; c < clients.Count; c++)
        {
            if (fused[c].Score >= _floor || inputs[c].EmbeddingCoverage is not null)
            {
                writes.Add(WriteClientAsync(clients[c], fused[c], inputs[c].EmbeddingCoverage, cancellationToken));
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

            if (fused.Contributions.Count > 1 || fused.StandsAlone)
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
