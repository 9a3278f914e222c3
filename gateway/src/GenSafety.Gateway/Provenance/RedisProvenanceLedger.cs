using System.Runtime.InteropServices;
using GenSafety.Gateway.State;
using GenSafety.Watermarking.Ledger;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// <see cref="IProvenanceLedger"/> on Redis (layout: <see cref="ProvenanceRedisKeys"/>). A write is one
/// <c>MULTI</c>/<c>EXEC</c>: the record hash, then per index a <c>ZADD</c>, a trim to the newest entries and a
/// <c>PEXPIRE</c>. Reads are pipelined: the index ranges, then the records (expired ones are skipped).
/// </summary>
internal sealed class RedisProvenanceLedger : IProvenanceLedger
{
    private readonly IConnectionMultiplexer _connection;
    private readonly ProvenanceRedisKeys _keys;
    private readonly TimeSpan _retention;
    private readonly int _perIndex;

    public RedisProvenanceLedger(IConnectionMultiplexer connection, IOptions<StateStoreOptions> state, IOptions<ProvenanceOptions> options)
    {
        _connection = connection;
        _keys = new ProvenanceRedisKeys(state.Value.KeyPrefix);
        _retention = options.Value.LedgerRetention;
        _perIndex = options.Value.MaxCandidatesPerBand;
    }

    public async Task RecordAsync(ProvenanceRecord record, IReadOnlyList<string> bands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(bands);
        var transaction = _connection.GetDatabase().CreateTransaction();
        var key = _keys.Record(record.RecordId);
        var pending = new List<Task>(4 + (3 * (bands.Count + 1)))
        {
            transaction.HashSetAsync(key,
            [
                new("t", record.Tenant), new("s", record.Scheme), new("k", record.Kid), new("q", record.RequestId), new("m", record.Model),
                new("c", record.CreatedAt.ToUnixTimeMilliseconds()), new("h", record.OutputSha256),
                new("g", MemoryMarshal.AsBytes(record.Sketch.AsSpan()).ToArray()),
            ]),
            transaction.KeyExpireAsync(key, _retention),
        };
        var score = record.CreatedAt.ToUnixTimeMilliseconds();
        Index(transaction, _keys.Hash(record.OutputSha256), record.RecordId, score, pending);
        foreach (var band in bands)
        {
            Index(transaction, _keys.Band(band), record.RecordId, score, pending);
        }

        try
        {
            if (!await transaction.ExecuteAsync().WaitAsync(cancellationToken))
            {
                throw new StateStoreUnavailableException("The provenance ledger write was not executed.");
            }

            await Task.WhenAll(pending);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new StateStoreUnavailableException("The provenance ledger could not be written.", ex);
        }
    }

    public async Task<IReadOnlyList<ProvenanceRecord>> FindByHashAsync(string outputSha256, CancellationToken cancellationToken)
        => await FindAsync([_keys.Hash(outputSha256)], cancellationToken);

    public async Task<IReadOnlyList<ProvenanceRecord>> FindByBandsAsync(IReadOnlyList<string> bands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bands);
        var keys = new RedisKey[bands.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = _keys.Band(bands[i]);
        }

        return await FindAsync(keys, cancellationToken);
    }

    private void Index(ITransaction transaction, RedisKey index, string recordId, long score, List<Task> pending)
    {
        pending.Add(transaction.SortedSetAddAsync(index, recordId, score));
        pending.Add(transaction.SortedSetRemoveRangeByRankAsync(index, 0, -(ProvenanceRedisKeys.MaxIndexEntries + 1)));
        pending.Add(transaction.KeyExpireAsync(index, _retention));
    }

    private async Task<IReadOnlyList<ProvenanceRecord>> FindAsync(RedisKey[] indexes, CancellationToken cancellationToken)
    {
        try
        {
            var db = _connection.GetDatabase();
            var ranges = new Task<RedisValue[]>[indexes.Length];
            for (var i = 0; i < indexes.Length; i++)
            {
                ranges[i] = db.SortedSetRangeByRankAsync(indexes[i], 0, _perIndex - 1, Order.Descending);
            }

            var ids = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var range in await Task.WhenAll(ranges).WaitAsync(cancellationToken))
            {
                foreach (var id in range)
                {
                    if (seen.Add(id.ToString()))
                    {
                        ids.Add(id.ToString());
                    }
                }
            }

            var reads = new Task<HashEntry[]>[ids.Count];
            for (var i = 0; i < ids.Count; i++)
            {
                reads[i] = db.HashGetAllAsync(_keys.Record(ids[i]));
            }

            var entries = await Task.WhenAll(reads).WaitAsync(cancellationToken);
            var records = new List<ProvenanceRecord>(ids.Count);
            for (var i = 0; i < ids.Count; i++)
            {
                if (Read(ids[i], entries[i]) is { } record)
                {
                    records.Add(record);
                }
            }

            return records;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new StateStoreUnavailableException("The provenance ledger could not be read.", ex);
        }
    }

    // Null for an expired record (its index entry outlived it) or one this version cannot read.
    private static ProvenanceRecord? Read(string recordId, HashEntry[] entries)
    {
        if (entries.Length == 0)
        {
            return null;
        }

        var fields = entries.ToDictionary(e => e.Name.ToString(), e => e.Value, StringComparer.Ordinal);
        if (!fields.TryGetValue("g", out var g) || ((byte[])g!).Length != MinHashSketch.Size * sizeof(ulong)
            || !fields.TryGetValue("c", out var c) || !c.TryParse(out long created))
        {
            return null;
        }

        return new ProvenanceRecord(recordId, Text(fields, "t"), Text(fields, "s"), Text(fields, "k"), Text(fields, "q"), Text(fields, "m"),
            DateTimeOffset.FromUnixTimeMilliseconds(created), Text(fields, "h"), MemoryMarshal.Cast<byte, ulong>((byte[])g!).ToArray());
    }

    private static string Text(Dictionary<string, RedisValue> fields, string name)
        => fields.TryGetValue(name, out var value) ? value.ToString() : string.Empty;
}
