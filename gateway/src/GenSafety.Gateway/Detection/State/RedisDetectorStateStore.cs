using System.Buffers.Binary;
using System.Numerics;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Detection.State;

/// <summary>
/// <see cref="IDetectorStateStore"/> on Redis, shared by every replica: reads are one pipelined batch of <c>GET</c>s,
/// writes one script (<see cref="WriteScript"/>) that compares-and-sets versioned states, ORs bits into bitmaps in
/// place (<c>SETBIT</c>, or <c>BITOP OR</c> for a large batch) and counts their bits (<c>BITCOUNT</c>).
/// </summary>
internal sealed class RedisDetectorStateStore : IDetectorStateStore
{
    /// <summary>Bytes of the version that starts a replace-mode value.</summary>
    public const int HeaderBytes = 4;

    /// <summary>
    /// KEYS: per write, the state key and a scratch key. ARGV[1]: TTL ms; then per write the mode and its arguments:
    /// <c>r</c>, the expected 4-byte header ('' when absent), the new value; or <c>o</c>, region bytes, regions, n and
    /// then n bit offsets to set, or (n = −1) one bitmap to OR in whole. Returns per write 1 (written) or 0 (conflict)
    /// for <c>r</c>, the set bits per region for <c>o</c>.
    /// </summary>
    internal const string WriteScript = """
        local ttl = ARGV[1]
        local out = {}
        local a = 2
        for i = 1, #KEYS / 2 do
          local k = KEYS[2 * i - 1]
          if ARGV[a] == 'r' then
            local cur = redis.call('GET', k)
            local head = ''
            if cur then head = string.sub(cur, 1, 4) end
            if head == ARGV[a + 1] then
              redis.call('SET', k, ARGV[a + 2], 'PX', ttl)
              out[i] = 1
            else
              out[i] = 0
            end
            a = a + 3
          else
            local rb, rc, n = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
            a = a + 4
            if n < 0 then
              local tmp = KEYS[2 * i]
              redis.call('SET', tmp, ARGV[a])
              redis.call('BITOP', 'OR', k, k, tmp)
              redis.call('DEL', tmp)
              a = a + 1
            else
              for j = 0, n - 1 do redis.call('SETBIT', k, ARGV[a + j], 1) end
              a = a + n
            end
            if n ~= 0 then redis.call('PEXPIRE', k, ttl) end
            local counts = {}
            for r = 0, rc - 1 do counts[r + 1] = redis.call('BITCOUNT', k, r * rb, (r + 1) * rb - 1) end
            out[i] = counts
          end
        end
        return out
        """;

    // Up to this many bits are set one by one; a batch that sets more sends its whole bitmap.
    private const int MaxBitsBySetbit = 2048;

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

    public async ValueTask<DetectorWriteResult> WriteAsync(IReadOnlyList<DetectorStateWrite> writes, CancellationToken cancellationToken)
    {
        if (writes.Count == 0)
        {
            return new DetectorWriteResult([], []);
        }

        var keys = new RedisKey[writes.Count * 2];
        var args = new List<RedisValue>((writes.Count * 4) + 1) { _ttlMs };
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
                args.Add(write.RegionBytes);
                args.Add(write.Regions);
                AddBits(args, write.Data);
            }
        }

        var result = await RunAsync(() => _connection.GetDatabase().ScriptEvaluateAsync(WriteScript, keys, [.. args]), cancellationToken);
        var outcomes = (RedisResult[])result!;
        var conflicts = new List<int>();
        var setBits = new long[]?[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            if (writes[i].Key.Mode == DetectorStateMode.Replace)
            {
                if ((int)outcomes[i] == 0)
                {
                    conflicts.Add(i);
                }
            }
            else
            {
                setBits[i] = (long[])outcomes[i]!;
            }
        }

        return new DetectorWriteResult(conflicts, setBits);
    }

    public async ValueTask DeleteAsync(IReadOnlyList<DetectorStateKey> keys, CancellationToken cancellationToken)
    {
        if (keys.Count > 0)
        {
            // Scratch keys too: a write interrupted between its SET and DEL would leave one behind.
            RedisKey[] names = [.. keys.Select(_keys.State), .. keys.Where(k => k.Mode == DetectorStateMode.BitwiseOr).Select(_keys.Scratch)];
            await RunAsync(() => _connection.GetDatabase().KeyDeleteAsync(names), cancellationToken);
        }
    }

    // The bits of a bitmap as SETBIT offsets (byte·8 + bit, bit 0 the high bit), or the bitmap itself when there are many.
    private static void AddBits(List<RedisValue> args, byte[] bitmap)
    {
        var count = 0;
        foreach (var b in bitmap)
        {
            count += BitOperations.PopCount(b);
        }

        if (count > MaxBitsBySetbit)
        {
            args.Add(-1);
            args.Add(bitmap);
            return;
        }

        args.Add(count);
        for (var i = 0; i < bitmap.Length; i++)
        {
            for (var bit = 0; bit < 8 && bitmap[i] != 0; bit++)
            {
                if ((bitmap[i] & (0x80 >> bit)) != 0)
                {
                    args.Add(((long)i * 8) + bit);
                }
            }
        }
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
