using System.Diagnostics;
using System.Text.Json;
using GenSafety.Gateway.Detection.Campaigns;
using GenSafety.Gateway.Detection.Sybil;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Telemetry;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// One micro-batch, start to end: observations read into <see cref="QueryEvent"/>s and grouped by client, prompts
/// embedded (<see cref="PromptEmbedding"/>), detectors run against their state (<see cref="DetectorRunner"/>), risk
/// fused and written (<see cref="RiskWriter"/>), the clients' activity recorded for sybil linking. Never throws for a bad observation, detector or unavailable store:
/// those cost the affected events, are logged and counted in <c>gensafety.detection.errors</c>.
/// </summary>
internal sealed class DetectionBatchProcessor(
    EnabledDetectors detectors, PromptEmbedding embedding, DetectorRunner runner, RiskWriter risk, CampaignTracker campaigns, SybilLinker sybil,
    DetectionMetrics metrics,
    ILogger<DetectionBatchProcessor> logger)
{
    public async Task ProcessAsync(IReadOnlyList<QueryObservation> batch, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        using var span = GatewayTracing.Start(GatewayTracing.DetectionBatch);
        span?.SetTag("gensafety.detection.batch_size", batch.Count);
        try
        {
            var clients = ClientBatch.Group(Read(batch));
            span?.SetTag("gensafety.detection.clients", clients.Count);
            if (clients.Count > 0 && detectors.Active.Count > 0)
            {
                using (GatewayTracing.Start(GatewayTracing.DetectionEmbed))
                {
                    await embedding.EmbedAsync(clients, cancellationToken);
                }

                DetectorResult?[][] results;
                using (GatewayTracing.Start(GatewayTracing.DetectionDetectors))
                {
                    results = await runner.RunAsync(clients, cancellationToken);
                }

                await risk.WriteAsync(clients, results, cancellationToken);
                await campaigns.TrackAsync(clients, cancellationToken);
                await sybil.RecordAsync(clients, cancellationToken);
            }
        }
        catch (StateStoreUnavailableException ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, DetectionStages.State);
            metrics.Error(DetectionStages.State);
            DetectionLog.StateUnavailable(logger, batch.Count, ex);
        }
        finally
        {
            metrics.Batch(batch.Count, Stopwatch.GetElapsedTime(start));
        }
    }

    private IEnumerable<QueryEvent> Read(IReadOnlyList<QueryObservation> batch)
    {
        foreach (var observation in batch)
        {
            QueryEvent? queryEvent = null;
            try
            {
                queryEvent = QueryEventReader.Read(observation);
            }
            catch (JsonException ex)
            {
                metrics.Error(DetectionStages.Parse);
                DetectionLog.ObservationUnreadable(logger, observation.RouteKind, ex);
            }

            if (queryEvent is not null)
            {
                yield return queryEvent;
            }
        }
    }
}
