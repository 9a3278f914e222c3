using System.Globalization;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Detection.Campaigns;

/// <summary><see cref="ICampaignStore"/> on Redis: one script per signature and batch, one more when its risk rises.</summary>
internal sealed class RedisCampaignStore : ICampaignStore
{
    /// <summary>
    /// KEYS[1] members hash (client → risk written), KEYS[2] settings bitmap, KEYS[3] request counter. ARGV[1] TTL ms,
    /// ARGV[2] most members, ARGV[3] requests to add, ARGV[4] number of clients k, ARGV[5 … 4+k] clients, then bits.
    /// Returns { members, bits set, requests }.
    /// </summary>
    internal const string RecordScript = """
        local k = tonumber(ARGV[4])
        for i = 5, 4 + k do
          if redis.call('HLEN', KEYS[1]) < tonumber(ARGV[2]) then redis.call('HSETNX', KEYS[1], ARGV[i], '0') end
        end
        for i = 5 + k, #ARGV do redis.call('SETBIT', KEYS[2], ARGV[i], 1) end
        local n = redis.call('INCRBY', KEYS[3], ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('PEXPIRE', KEYS[2], ARGV[1])
        redis.call('PEXPIRE', KEYS[3], ARGV[1])
        return { redis.call('HLEN', KEYS[1]), redis.call('BITCOUNT', KEYS[2]), n }
        """;

    /// <summary>KEYS[1] members hash. ARGV[1] score, ARGV[2] tolerance. Returns and marks the members written below it.</summary>
    internal const string ClaimScript = """
        local all = redis.call('HGETALL', KEYS[1])
        local score = tonumber(ARGV[1])
        local out = {}
        for i = 1, #all, 2 do
          if tonumber(all[i + 1]) < score - tonumber(ARGV[2]) then
            redis.call('HSET', KEYS[1], all[i], ARGV[1])
            out[#out + 1] = all[i]
          end
        end
        return out
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly string _prefix;
    private readonly CampaignOptions _options;

    public RedisCampaignStore(IConnectionMultiplexer connection, IOptions<StateStoreOptions> state, IOptions<CampaignOptions> options)
    {
        _connection = connection;
        _prefix = state.Value.KeyPrefix;
        _options = options.Value;
    }

    public async Task<CampaignTotals> RecordAsync(string tenant, CampaignRecord record, CancellationToken cancellationToken)
    {
        var args = new List<RedisValue>(4 + record.Clients.Count + record.Settings.Count)
        {
            (long)_options.Window.TotalMilliseconds, _options.MaxMembers, record.Requests, record.Clients.Count,
        };
        args.AddRange(record.Clients.Select(c => (RedisValue)c));
        args.AddRange(record.Settings.Select(s => (RedisValue)s));
        var key = Key(tenant, record.Kind, record.Key);
        var result = (RedisResult[])(await RunAsync(
            () => _connection.GetDatabase().ScriptEvaluateAsync(RecordScript, [key + ":m", key + ":s", key + ":n"], [.. args]), cancellationToken))!;
        return new CampaignTotals((int)result[0], (int)result[1], (long)result[2]);
    }

    public async Task<IReadOnlyList<string>> ClaimAsync(string tenant, string kind, ulong key, double score, double tolerance, CancellationToken cancellationToken)
    {
        var result = await RunAsync(
            () => _connection.GetDatabase().ScriptEvaluateAsync(
                ClaimScript, [Key(tenant, kind, key) + ":m"], [score.ToString("R", CultureInfo.InvariantCulture), tolerance.ToString("R", CultureInfo.InvariantCulture)]),
            cancellationToken);
        return [.. ((RedisResult[])result!).Select(r => (string)r!)];
    }

    private string Key(string tenant, string kind, ulong key) => string.Create(CultureInfo.InvariantCulture, $"{_prefix}:{tenant}:camp:{kind}:{key:x16}");

    private static async Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation().WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new StateStoreUnavailableException("The Redis campaign store failed.", ex);
        }
    }
}
