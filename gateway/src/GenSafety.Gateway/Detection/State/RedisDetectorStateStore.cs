using System.Buffers.Binary;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Detection.State;

/// <summary>
/// <see cref="IDetectorStateStore"/> on Redis, shared by every replica: reads are one pipelined batch of <c>GET</c>s,
/// writes one script (<see cref="WriteScript"/>) that compares-and-sets versioned states and ORs bitmaps in place.
/// </summary>
internal sealed class RedisDetectorStateStore : IDetectorStateStore
{
    /// <summary>Bytes of the version that starts a replace-mode value.</summary>
    public const int HeaderBytes = 4;

    /// <summary>
    /// KEYS: per write, the state key and a scratch key. ARGV[1]: TTL ms; then per write the mode (<c>r</c> or
    /// <c>o</c>) and, for <c>r</c>, the expected 4-byte header ('' when absent) and the new value; for <c>o</c>, the
    /// bits to OR ('' to renew the TTL only). Returns the 1-based indexes of the replace writes that found another
    /// version.
    /// </summary>
    internal const string WriteScript = """
        local ttl = ARGV[1]
        local conflicts = {}
        local a = 2
        for i = 1, #KEYS / 2 do
          local k = KEYS[2 * i - 1]
          if ARGV[a] == 'r' then
            local cur = redis.call('GET', k)
            local head = ''
            if cur then head = string.sub(cur, 1, 4) end
            if head == ARGV[a + 1] then
              redis.call('SET', k, ARGV[a + 2], 'PX', ttl)
            else
              conflicts[#conflicts + 1] = i
            end
            a = a + 3
          else
            if ARGV[a + 1] ~= '' then
              local tmp = KEYS[2 * i]
              redis.call('SET', tmp, ARGV[a + 1])
              redis.call('BITOP', 'OR', k, k, tmp)
              redis.call('DEL', tmp)
            end
            redis.call('PEXPIRE', k, ttl)
            a = a + 2
          end
        end
        return conflicts
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly DetectorStateKeys _keys;
    private readonly long _ttlMs;

    public RedisDetectorStateStore(IConnectionMultiplexer connection, IOptions<StateStoreOptions> state, IOptions<DetectionOptions> options)
    {
        _connection = connection;
        _keys = new DetectorStateKeys(state.Value.KeyPrefix);
        _ttlMs = (long)options.Value.StateTtl.TotalMilliseconds;
    }

    public async ValueTask<DetectorStateEntry[]> ReadAsync(IReadOnlyList<DetectorStateKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        var batch = _connection.GetDatabase().CreateBatch();
        var reads = new Task<RedisValue>[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            reads[i] = batch.StringGetAsync(_keys.State(keys[i]));
        }

        batch.Execute();
        await RunAsync(() => Task.WhenAll(reads), cancellationToken);
        var entries = new DetectorStateEntry[keys.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = Parse(keys[i].Mode, reads[i].Result);
        }

        return entries;
    }

    public async ValueTask<IReadOnlyList<int>> WriteAsync(IReadOnlyList<DetectorStateWrite> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return [];
        }

        var keys = new RedisKey[writes.Count * 2];
        var args = new List<RedisValue>((writes.Count * 3) + 1) { _ttlMs };
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            keys[2 * i] = _keys.State(write.Key);
            keys[(2 * i) + 1] = _keys.Scratch(write.Key);
            if (write.Key.Mode == DetectorStateMode.Replace)
            {
                args.Add("r");
                args.Add(write.Read.Exists ? Header(write.Read.Version) : []);
                args.Add(Versioned(write.Read.Exists ? write.Read.Version + 1 : 1, write.Data));
            }
            else
            {
                args.Add("o");
                args.Add(NewBits(write.Read.Data, write.Data));
            }
        }

        var result = await RunAsync(() => _connection.GetDatabase().ScriptEvaluateAsync(WriteScript, keys, [.. args]), cancellationToken);
        var conflicts = (RedisResult[])result!;
        var indexes = new int[conflicts.Length];
        for (var i = 0; i < conflicts.Length; i++)
        {
            indexes[i] = (int)conflicts[i] - 1;
        }

        return indexes;
    }

    private static DetectorStateEntry Parse(DetectorStateMode mode, RedisValue value)
    {
        if (value.IsNull)
        {
            return DetectorStateEntry.Missing;
        }

        byte[] bytes = value!;
        if (mode == DetectorStateMode.BitwiseOr)
        {
            return new DetectorStateEntry(true, 0, bytes);
        }

        // A value too short for its header is not ours: treat it as absent but existing, so a write replaces it.
        return bytes.Length < HeaderBytes
            ? new DetectorStateEntry(true, 0, [])
            : new DetectorStateEntry(true, BinaryPrimitives.ReadUInt32LittleEndian(bytes), bytes[HeaderBytes..]);
    }

    private static byte[] Header(uint version)
    {
        var header = new byte[HeaderBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(header, version);
        return header;
    }

    private static byte[] Versioned(uint version, byte[] data)
    {
        var value = new byte[HeaderBytes + data.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(value, version);
        data.CopyTo(value.AsSpan(HeaderBytes));
        return value;
    }

    // The written bitmap when it sets a bit the read one lacked; empty (renew the TTL only) otherwise.
    private static byte[] NewBits(byte[] read, byte[] written)
    {
        for (var i = 0; i < written.Length; i++)
        {
            if ((written[i] & ~(i < read.Length ? read[i] : 0)) != 0)
            {
                return written;
            }
        }

        return [];
    }

    private static async Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation().WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new StateStoreUnavailableException("The Redis detector state store failed.", ex);
        }
    }
}
