using System.Runtime.InteropServices;
using GenSafety.Detectors.Images;
using GenSafety.Gateway.State;
using GenSafety.Watermarking.Ledger;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// <see cref="IProvenanceLedger"/> on Redis (layout: <see cref="ProvenanceRedisKeys"/>). A batch of records is one
/// script (<see cref="WriteScript"/>), one round trip. Reads are pipelined: the index ranges, then the records (expired
/// ones are skipped).
/// </summary>
internal sealed class RedisProvenanceLedger : IProvenanceLedger
{
    /// <summary>
    /// One record in <see cref="TrimOneIn"/> trims its indexes back to <see cref="ProvenanceRedisKeys.MaxIndexEntries"/>.
    /// Trimming on every write cost a size check per index; drawn at random (not every n-th write, which a client
    /// cycling through n prompts could dodge), an index holds 64 + 7 ids on average and more than 64 + 50 with
    /// probability below 0.2%.
    /// </summary>
    public const int TrimOneIn = 8;

    /// <summary>Fields of a record hash (<c>t s k q m c h g p</c>).</summary>
    internal const int RecordFields = 9;

    /// <summary>
    /// Keys per record in <see cref="WriteScript"/>: the record hash, the hash index, the band indexes (MinHash bands for a
    /// text, PDQ bands for an image: <see cref="ImageLedgerBands.Count"/> equals <see cref="LedgerBands.Count"/>).
    /// </summary>
    internal const int KeysPerRecord = 2 + LedgerBands.Count;

    /// <summary>Arguments per record in <see cref="WriteScript"/>: id, score, trim flag, then the field/value pairs.</summary>
    internal const int ArgsPerRecord = 3 + (2 * RecordFields);

    /// <summary>
    /// Writes a batch. ARGV: TTL ms, most entries per index, keys per record, arguments per record, then per record
    /// (see <see cref="ArgsPerRecord"/>) its id, score (created ms), trim flag (1/0) and field/value pairs; KEYS per
    /// record (see <see cref="KeysPerRecord"/>). Writes each record, adds its id to each of its indexes, trims them when
    /// the record drew a trim, and renews every TTL. Returns the number of records written.
    /// </summary>
    internal const string WriteScript = """
        local ttl = ARGV[1]
        local max = tonumber(ARGV[2])
        local perKeys = tonumber(ARGV[3])
        local perArgs = tonumber(ARGV[4])
        local n = #KEYS / perKeys
        for r = 0, n - 1 do
          local k = r * perKeys
          local a = 4 + r * perArgs
          redis.call('HSET', KEYS[k + 1], unpack(ARGV, a + 4, a + perArgs))
          redis.call('PEXPIRE', KEYS[k + 1], ttl)
          local trim = ARGV[a + 3] == '1'
          for i = k + 2, k + perKeys do
            redis.call('ZADD', KEYS[i], ARGV[a + 2], ARGV[a + 1])
            if trim then redis.call('ZREMRANGEBYRANK', KEYS[i], 0, -(max + 1)) end
            redis.call('PEXPIRE', KEYS[i], ttl)
          end
        end
        return n
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly ProvenanceRedisKeys _keys;
    private readonly TimeSpan _retention;
    private readonly int _perIndex;
    private readonly int _trimOneIn;

    public RedisProvenanceLedger(IConnectionMultiplexer connection, IOptions<StateStoreOptions> state, IOptions<ProvenanceOptions> options)
        : this(connection, state, options, TrimOneIn)
    {
    }

    /// <summary>With a trim rate of one record in <paramref name="trimOneIn"/> (1: every record, 0: none; for tests of the bound).</summary>
    internal RedisProvenanceLedger(IConnectionMultiplexer connection, IOptions<StateStoreOptions> state, IOptions<ProvenanceOptions> options, int trimOneIn)
    {
        _connection = connection;
        _keys = new ProvenanceRedisKeys(state.Value.KeyPrefix);
        _retention = options.Value.LedgerRetention;
        _perIndex = options.Value.MaxCandidatesPerBand;
        _trimOneIn = trimOneIn;
    }

    public async Task RecordAsync(IReadOnlyList<ProvenanceRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var keys = new RedisKey[records.Count * KeysPerRecord];
        var args = new RedisValue[4 + (records.Count * ArgsPerRecord)];
        args[0] = (long)_retention.TotalMilliseconds;
        args[1] = ProvenanceRedisKeys.MaxIndexEntries;
        args[2] = KeysPerRecord;
        args[3] = ArgsPerRecord;
        for (var r = 0; r < records.Count; r++)
        {
            Add(records[r], keys.AsSpan(r * KeysPerRecord, KeysPerRecord), args.AsSpan(4 + (r * ArgsPerRecord), ArgsPerRecord));
        }

        try
        {
            await _connection.GetDatabase().ScriptEvaluateAsync(WriteScript, keys, args).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new StateStoreUnavailableException("The provenance ledger could not be written.", ex);
        }
    }

    private bool Trims() => _trimOneIn == 1 || (_trimOneIn > 1 && Random.Shared.Next(_trimOneIn) == 0);

    private void Add(ProvenanceRecord record, Span<RedisKey> keys, Span<RedisValue> args)
    {
        keys[0] = _keys.Record(record.RecordId);
        keys[1] = _keys.Hash(record.OutputSha256);
        var bands = record.ImageHash is { } pdq ? ImageLedgerBands.Keys(pdq) : LedgerBands.Keys(record.Sketch);
        for (var i = 0; i < bands.Length; i++)
        {
            keys[2 + i] = record.IsImage ? _keys.ImageBand(bands[i]) : _keys.Band(bands[i]);
        }

        var created = record.CreatedAt.ToUnixTimeMilliseconds();
        ReadOnlySpan<RedisValue> values =
        [
            record.RecordId, created, Trims() ? 1 : 0,
            "t", record.Tenant, "s", record.Scheme, "k", record.Kid, "q", record.RequestId, "m", record.Model,
            "c", created, "h", record.OutputSha256, "g", MemoryMarshal.AsBytes(record.Sketch.AsSpan()).ToArray(),
            "p", record.ImageHash?.ToString() ?? string.Empty,
        ];
        values.CopyTo(args);
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

    public async Task<IReadOnlyList<ProvenanceRecord>> FindByImageBandsAsync(IReadOnlyList<string> bands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bands);
        var keys = new RedisKey[bands.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = _keys.ImageBand(bands[i]);
        }

        return await FindAsync(keys, cancellationToken);
    }

    public async Task<ProvenanceRecord?> FindByIdAsync(string recordId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recordId);
        try
        {
            return Read(recordId, await _connection.GetDatabase().HashGetAllAsync(_keys.Record(recordId)).WaitAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new StateStoreUnavailableException("The provenance ledger could not be read.", ex);
        }
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
        var image = ImageHash(Text(fields, "p"));
        if (!fields.TryGetValue("g", out var g) || ((byte[])g!).Length != (image is null ? MinHashSketch.Size * sizeof(ulong) : 0)
            || !fields.TryGetValue("c", out var c) || !c.TryParse(out long created))
        {
            return null;
        }

        return new ProvenanceRecord(recordId, Text(fields, "t"), Text(fields, "s"), Text(fields, "k"), Text(fields, "q"), Text(fields, "m"),
            DateTimeOffset.FromUnixTimeMilliseconds(created), Text(fields, "h"), MemoryMarshal.Cast<byte, ulong>((byte[])g!).ToArray(), image);
    }

    private static PdqHash? ImageHash(string hex)
    {
        if (hex.Length == 0)
        {
            return null;
        }

        try
        {
            return PdqHash.Parse(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Text(Dictionary<string, RedisValue> fields, string name)
        => fields.TryGetValue(name, out var value) ? value.ToString() : string.Empty;
}
