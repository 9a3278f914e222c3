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
    private readonly ConcurrentDictionary<string, ProvenanceRecord> _records = new(StringComparer.Ordinal);
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

    public Task RecordAsync(ProvenanceRecord record, IReadOnlyList<string> bands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(bands);
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
