using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// <see cref="IProvenanceLedger"/> in process memory, for a gateway without Redis (demo mode, single instance): the
/// same indexes, retention and per-index bound as the Redis ledger, at most <see cref="MaxRecords"/> records (the
/// oldest go first); lost on restart.
/// </summary>
internal sealed class InMemoryProvenanceLedger : IProvenanceLedger
{
    /// <summary>Most records kept (≈ 1.3 KB each with their index entries).</summary>
    public const int MaxRecords = 50_000;

    private readonly ConcurrentDictionary<string, ProvenanceRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ProvenanceRecord> _order = new();
    private readonly ConcurrentDictionary<string, List<string>> _indexes = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private readonly int _perIndex;

    public InMemoryProvenanceLedger(IOptions<ProvenanceOptions> options, TimeProvider time)
    {
        _time = time;
        _retention = options.Value.LedgerRetention;
        _perIndex = options.Value.MaxCandidatesPerBand;
    }

    public Task RecordAsync(IReadOnlyList<ProvenanceRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            _records[record.RecordId] = record;
            _order.Enqueue(record);
            Add("h:" + record.OutputSha256, record.RecordId);
            foreach (var band in BandIndexes(record))
            {
                Add(band, record.RecordId);
            }
        }

        Evict();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ProvenanceRecord>> FindByHashAsync(string outputSha256, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<ProvenanceRecord>>(Find(["h:" + outputSha256]));

    public Task<IReadOnlyList<ProvenanceRecord>> FindByBandsAsync(IReadOnlyList<string> bands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bands);
        return Task.FromResult<IReadOnlyList<ProvenanceRecord>>(Find(bands.Select(b => "b:" + b)));
    }

    public Task<IReadOnlyList<ProvenanceRecord>> FindByImageBandsAsync(IReadOnlyList<string> bands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bands);
        return Task.FromResult<IReadOnlyList<ProvenanceRecord>>(Find(bands.Select(b => "p:" + b)));
    }

    public Task<ProvenanceRecord?> FindByIdAsync(string recordId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recordId);
        var found = _records.TryGetValue(recordId, out var record) && record.CreatedAt >= _time.GetUtcNow() - _retention;
        return Task.FromResult(found ? record : null);
    }

    private static IEnumerable<string> BandIndexes(ProvenanceRecord record)
        => record.ImageHash is { } pdq
            ? ImageLedgerBands.Keys(pdq).Select(b => "p:" + b)
            : LedgerBands.Keys(record.Sketch).Select(b => "b:" + b);

    // Records leave in insertion order (over the cap, or expired); their index entries go with them.
    private void Evict()
    {
        var cutoff = _time.GetUtcNow() - _retention;
        while ((_records.Count > MaxRecords || (_order.TryPeek(out var oldest) && oldest.CreatedAt < cutoff)) && _order.TryDequeue(out var evicted))
        {
            _records.TryRemove(evicted.RecordId, out _);
            Drop("h:" + evicted.OutputSha256);
            foreach (var band in BandIndexes(evicted))
            {
                Drop(band);
            }
        }
    }

    private void Add(string index, string recordId)
    {
        while (true)
        {
            var ids = _indexes.GetOrAdd(index, static _ => []);
            lock (ids)
            {
                // Dropped as empty between the lookup and the lock: take the current list instead.
                if (!_indexes.TryGetValue(index, out var current) || !ReferenceEquals(current, ids))
                {
                    continue;
                }

                Prune(ids);
                ids.Add(recordId);
                if (ids.Count > ProvenanceRedisKeys.MaxIndexEntries)
                {
                    ids.RemoveAt(0);
                }

                return;
            }
        }
    }

    private void Drop(string index)
    {
        if (_indexes.TryGetValue(index, out var ids))
        {
            lock (ids)
            {
                Prune(ids);
                if (ids.Count == 0)
                {
                    _indexes.TryRemove(new KeyValuePair<string, List<string>>(index, ids));
                }
            }
        }
    }

    private List<ProvenanceRecord> Find(IEnumerable<string> indexes)
    {
        var found = new List<ProvenanceRecord>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in indexes)
        {
            if (!_indexes.TryGetValue(index, out var ids))
            {
                continue;
            }

            lock (ids)
            {
                Prune(ids);
                for (var i = ids.Count - 1; i >= 0 && i >= ids.Count - _perIndex; i--)
                {
                    if (seen.Add(ids[i]) && _records.TryGetValue(ids[i], out var record))
                    {
                        found.Add(record);
                    }
                }
            }
        }

        return found;
    }

    // Ids are in insertion order, so evicted and expired ones are at the front.
    private void Prune(List<string> ids)
    {
        var cutoff = _time.GetUtcNow() - _retention;
        while (ids.Count > 0 && (!_records.TryGetValue(ids[0], out var record) || record.CreatedAt < cutoff))
        {
            ids.RemoveAt(0);
        }
    }
}
