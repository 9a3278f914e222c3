using System.Runtime.InteropServices;
using GenSafety.Gateway.State;
using GenSafety.Watermarking.Ledger;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// <see cref="IProvenanceLedger"/> on Redis (layout: <see cref="ProvenanceRedisKeys"/>). A write is one script
/// (<see cref="WriteScript"/>), one round trip. Reads are pipelined: the index ranges, then the records (expired
/// ones are skipped).
/// </summary>
internal sealed class RedisProvenanceLedger : IProvenanceLedger
{
    /// <summary>
    /// KEYS: the record hash, the hash index, the band indexes. ARGV: TTL ms, record id, score (created ms), most
    /// entries per index, then the record's field/value pairs. Writes the record; adds the id to every index, trims an
    /// index only when it is over the bound, and renews every TTL.
    /// </summary>
    internal const string WriteScript = """
        local ttl = ARGV[1]
        local max = tonumber(ARGV[4])
        redis.call('HSET', KEYS[1], unpack(ARGV, 5))
        redis.call('PEXPIRE', KEYS[1], ttl)
        for i = 2, #KEYS do
          redis.call('ZADD', KEYS[i], ARGV[3], ARGV[2])
          if redis.call('ZCARD', KEYS[i]) > max then redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -(max + 1)) end
          redis.call('PEXPIRE', KEYS[i], ttl)
        end
        return 1
        """;

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
        var keys = new RedisKey[2 + bands.Count];
        keys[0] = _keys.Record(record.RecordId);
        keys[1] = _keys.Hash(record.OutputSha256);
        for (var i = 0; i < bands.Count; i++)
        {
            keys[2 + i] = _keys.Band(bands[i]);
        }

        RedisValue[] args =
        [
            (long)_retention.TotalMilliseconds, record.RecordId, record.CreatedAt.ToUnixTimeMilliseconds(), ProvenanceRedisKeys.MaxIndexEntries,
            "t", record.Tenant, "s", record.Scheme, "k", record.Kid, "q", record.RequestId, "m", record.Model,
            "c", record.CreatedAt.ToUnixTimeMilliseconds(), "h", record.OutputSha256, "g", MemoryMarshal.AsBytes(record.Sketch.AsSpan()).ToArray(),
        ];
        try
        {
            await _connection.GetDatabase().ScriptEvaluateAsync(WriteScript, keys, args).WaitAsync(cancellationToken);
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
