using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// <see cref="IProvenanceLedger"/> in process memory, for a gateway without Redis (demo mode, single instance): the
/// same indexes, retention and per-index bound as the Redis ledger; lost on restart. Expired records are dropped
/// when an index they belong to is read or written.
/// </summary>
internal sealed class InMemoryProvenanceLedger : IProvenanceLedger
{
    // Records pushed out of every index by newer ones are only reachable by a sweep.
    private const int SweepEvery = 4096;

    private readonly ConcurrentDictionary<string, ProvenanceRecord> _records = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<string>> _indexes = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private readonly int _perIndex;
    private long _writes;

    public InMemoryProvenanceLedger(IOptions<ProvenanceOptions> options, TimeProvider time)
    {
        _time = time;
        _retention = options.Value.LedgerRetention;
        _perIndex = options.Value.MaxCandidatesPerBand;
    }

    public Task RecordAsync(ProvenanceRecord record, IReadOnlyList<string> bands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(bands);
        if (Interlocked.Increment(ref _writes) % SweepEvery == 0)
        {
            Sweep();
        }

        _records[record.RecordId] = record;
        Add("h:" + record.OutputSha256, record.RecordId);
        foreach (var band in bands)
        {
            Add("b:" + band, record.RecordId);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ProvenanceRecord>> FindByHashAsync(string outputSha256, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<ProvenanceRecord>>(Find(["h:" + outputSha256]));

    public Task<IReadOnlyList<ProvenanceRecord>> FindByBandsAsync(IReadOnlyList<string> bands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bands);
        return Task.FromResult<IReadOnlyList<ProvenanceRecord>>(Find(bands.Select(b => "b:" + b)));
    }

    private void Add(string index, string recordId)
    {
        var ids = _indexes.GetOrAdd(index, static _ => []);
        lock (ids)
        {
            Prune(ids);
            ids.Add(recordId);
            if (ids.Count > ProvenanceRedisKeys.MaxIndexEntries)
            {
                ids.RemoveAt(0);
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

    private void Sweep()
    {
        var cutoff = _time.GetUtcNow() - _retention;
        foreach (var (id, record) in _records)
        {
            if (record.CreatedAt < cutoff)
            {
                _records.TryRemove(id, out _);
            }
        }

        foreach (var (name, ids) in _indexes)
        {
            lock (ids)
            {
                Prune(ids);
                if (ids.Count == 0)
                {
                    // An add racing this removal can lose one index entry: acceptable for the single-instance demo store.
                    _indexes.TryRemove(name, out _);
                }
            }
        }
    }

    // Ids are in insertion (time) order: expired ones are at the front.
    private void Prune(List<string> ids)
    {
        var cutoff = _time.GetUtcNow() - _retention;
        while (ids.Count > 0 && (!_records.TryGetValue(ids[0], out var record) || record.CreatedAt < cutoff))
        {
            _records.TryRemove(ids[0], out _);
            ids.RemoveAt(0);
        }
    }
}
