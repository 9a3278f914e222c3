using GenSafety.Gateway.Detection.State;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Runs every enabled detector on every client of a micro-batch: one read of all the replace-mode states, the
/// detectors, one write of all the changes (bitmaps OR-ed in and counted, <see cref="IBitmapQueryDetector.Score"/>
/// then scoring from the counts). Replace-mode states another replica changed in between are re-read and
/// recomputed, up to <see cref="MaxAttempts"/> writes. State store failures propagate
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
        var now = time.GetUtcNow();
        var results = new DetectorResult?[clients.Count][];
        var slots = new List<Slot>(clients.Count * active.Count);
        for (var c = 0; c < clients.Count; c++)
        {
            results[c] = new DetectorResult?[active.Count];
            for (var d = 0; d < active.Count; d++)
            {
                var detector = active[d].Detector;
                var key = new DetectorStateKey(clients[c].Tenant, clients[c].ClientId, detector.Name, detector.Descriptor.StateMode);
                slots.Add(new Slot(c, d, detector, key, new DetectorInput(
                    clients[c].Tenant, clients[c].ClientId, now, clients[c].Events, clients[c].Vectors, clients[c].Embedder, ReadOnlyMemory<byte>.Empty)
                {
                    QueryVectors = clients[c].QueryVectors,
                }));
            }
        }

        var pending = slots.Where(s => s.Key.Mode == DetectorStateMode.Replace).ToList();
        var entries = await store.ReadAsync([.. pending.Select(s => s.Key)], cancellationToken);
        for (var attempt = 1; pending.Count > 0 || attempt == 1; attempt++)
        {
            var writes = new List<DetectorStateWrite>();
            var written = new List<Slot>();
            for (var p = 0; p < pending.Count; p++)
            {
                var result = Run(pending[p], pending[p].Input with { State = entries[p].Data });
                results[pending[p].Client][pending[p].Index] = result;
                if (result?.State is { } state)
                {
                    writes.Add(new DetectorStateWrite(pending[p].Key, entries[p], state));
                    written.Add(pending[p]);
                }
            }

            var bitmaps = attempt == 1 ? AddBitmaps(slots, results, writes) : [];
            var outcome = await store.WriteAsync(writes, cancellationToken);
            ScoreBitmaps(bitmaps, results, outcome, writes.Count - bitmaps.Count);
            pending = [.. outcome.Conflicts.Select(i => written[i])];
            if (pending.Count > 0 && attempt == MaxAttempts)
            {
                foreach (var slot in pending)
                {
                    metrics.Error(DetectionStages.State);
                    DetectionLog.StateContended(logger, slot.Key.Detector);
                }

                break;
            }

            if (pending.Count > 0)
            {
                entries = await store.ReadAsync([.. pending.Select(s => s.Key)], cancellationToken);
            }
        }

        return results;
    }

    // Runs the bitmap detectors and appends their writes (an empty one still returns the counts to score with).
    private List<Slot> AddBitmaps(List<Slot> slots, DetectorResult?[][] results, List<DetectorStateWrite> writes)
    {
        var bitmaps = new List<Slot>();
        foreach (var slot in slots)
        {
            if (slot.Key.Mode != DetectorStateMode.BitwiseOr || Run(slot, slot.Input) is not { } observed)
            {
                continue;
            }

            var detector = (IBitmapQueryDetector)slot.Detector;
            results[slot.Client][slot.Index] = observed;
            bitmaps.Add(slot);
            writes.Add(new DetectorStateWrite(slot.Key, DetectorStateEntry.Missing, observed.State ?? [])
            {
                RegionBytes = detector.RegionBytes,
                Regions = detector.Descriptor.MaxStateBytes / detector.RegionBytes,
            });
        }

        return bitmaps;
    }

    private void ScoreBitmaps(List<Slot> bitmaps, DetectorResult?[][] results, DetectorWriteResult outcome, int first)
    {
        for (var b = 0; b < bitmaps.Count; b++)
        {
            var slot = bitmaps[b];
            var observed = results[slot.Client][slot.Index]!;
            results[slot.Client][slot.Index] = Guard(slot.Detector, () => ((IBitmapQueryDetector)slot.Detector).Score(slot.Input, observed, outcome.SetBits[first + b]!));
        }
    }

    private DetectorResult? Run(Slot slot, DetectorInput input)
    {
        var result = Guard(slot.Detector, () => slot.Detector.Detect(input));
        var limit = slot.Detector.Descriptor.MaxStateBytes;
        if (result?.State is { Length: var length } && length > limit)
        {
            metrics.Error(DetectionStages.State);
            DetectionLog.StateTooLarge(logger, slot.Detector.Name, length, limit);
            return result with { State = null };
        }

        return result;
    }

    // A detector that throws or scores outside [0, 1] is skipped for this client and batch.
    private DetectorResult? Guard(IQueryDetector detector, Func<DetectorResult> call)
    {
        DetectorResult result;
        try
        {
            result = call();
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

        return result;
    }

    /// <summary>One detector on one client: indexes into the results, the detector, its state key and input.</summary>
    private sealed record Slot(int Client, int Index, IQueryDetector Detector, DetectorStateKey Key, DetectorInput Input);
}
