using GenSafety.Gateway.Detection.State;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Runs every enabled detector on every client of a micro-batch against its stored state: one read of all the
/// states, the detectors, one write of all the changes; replace-mode states another replica changed in between are
/// re-read and recomputed, up to <see cref="MaxAttempts"/> times. State store failures propagate
/// (<see cref="GenSafety.Gateway.State.StateStoreUnavailableException"/>): without state there is nothing to score.
/// </summary>
internal sealed class DetectorRunner(EnabledDetectors detectors, IDetectorStateStore store, DetectionMetrics metrics, TimeProvider time, ILogger<DetectorRunner> logger)
{
    /// <summary>Most write attempts per state and batch.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Runs the detectors; returns, per client, one result per enabled detector (null where it failed).</summary>
    public async Task<DetectorResult?[][]> RunAsync(IReadOnlyList<ClientBatch> clients, CancellationToken cancellationToken)
    {
        var active = detectors.Active;
        var slots = new List<(int Client, int Detector)>(clients.Count * active.Count);
        var keys = new List<DetectorStateKey>(slots.Capacity);
        for (var c = 0; c < clients.Count; c++)
        {
            for (var d = 0; d < active.Count; d++)
            {
                slots.Add((c, d));
                keys.Add(new DetectorStateKey(clients[c].Tenant, clients[c].ClientId, active[d].Detector.Name, active[d].Detector.Descriptor.StateMode));
            }
        }

        var results = new DetectorResult?[clients.Count][];
        for (var c = 0; c < clients.Count; c++)
        {
            results[c] = new DetectorResult?[active.Count];
        }

        var pending = Enumerable.Range(0, slots.Count).ToList();
        var entries = await store.ReadAsync(keys, cancellationToken);
        var now = time.GetUtcNow();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var writes = new List<DetectorStateWrite>();
            var written = new List<int>();
            for (var p = 0; p < pending.Count; p++)
            {
                var (c, d) = slots[pending[p]];
                var result = Run(clients[c], active[d].Detector, entries[p], now);
                results[c][d] = result;
                if (result?.State is { } state)
                {
                    writes.Add(new DetectorStateWrite(keys[pending[p]], entries[p], state));
                    written.Add(pending[p]);
                }
            }

            var conflicts = await store.WriteAsync(writes, cancellationToken);
            pending = [.. conflicts.Select(i => written[i])];
            if (pending.Count > 0 && attempt == MaxAttempts)
            {
                foreach (var slot in pending)
                {
                    metrics.Error(DetectionStages.State);
                    DetectionLog.StateContended(logger, keys[slot].Detector);
                }

                break;
            }

            if (pending.Count > 0)
            {
                entries = await store.ReadAsync([.. pending.Select(i => keys[i])], cancellationToken);
            }
        }

        return results;
    }

    private DetectorResult? Run(ClientBatch client, IQueryDetector detector, DetectorStateEntry state, DateTimeOffset now)
    {
        DetectorResult result;
        try
        {
            result = detector.Detect(new DetectorInput(client.Tenant, client.ClientId, now, client.Events, client.Vectors, client.Embedder, state.Data));
        }
        catch (Exception ex)
        {
            metrics.Error(DetectionStages.Detector);
            DetectionLog.DetectorFailed(logger, detector.Name, ex);
            return null;
        }

        if (!(result.Score is >= 0 and <= 1))
        {
            metrics.Error(DetectionStages.Detector);
            DetectionLog.ScoreInvalid(logger, detector.Name);
            return null;
        }

        var limit = detector.Descriptor.MaxStateBytes;
        if (result.State is { Length: var length } && length > limit)
        {
            metrics.Error(DetectionStages.State);
            DetectionLog.StateTooLarge(logger, detector.Name, length, limit);
            return result with { State = null };
        }

        return result;
    }
}
