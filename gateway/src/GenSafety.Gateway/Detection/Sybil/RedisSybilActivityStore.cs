using System.Collections.Concurrent;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Detection.Sybil;

/// <summary><see cref="ISybilActivityStore"/> on Redis: one script per tenant and batch records and trims.</summary>
internal sealed class RedisSybilActivityStore : ISybilActivityStore
{
    /// <summary>
    /// KEYS[1] the sorted set, KEYS[2] the hash. ARGV[1] most clients kept, ARGV[2] TTL ms, then per client: id,
    /// last-seen ms, network ('' when unknown). The oldest clients beyond the bound leave both keys.
    /// </summary>
    internal const string RecordScript = """
        for i = 3, #ARGV, 3 do
          redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i])
          if ARGV[i + 2] ~= '' then redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2]) end
        end
        local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[1])
        if excess > 0 then
          local old = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
          redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
          for j = 1, #old do redis.call('HDEL', KEYS[2], old[j]) end
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
        return 0
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly string _prefix;
    private readonly SybilLinkingOptions _options;
    private readonly ConcurrentDictionary<string, byte> _tenants = new(StringComparer.Ordinal);

    public RedisSybilActivityStore(IConnectionMultiplexer connection, IOptions<StateStoreOptions> state, IOptions<SybilLinkingOptions> options)
    {
        _connection = connection;
        _prefix = state.Value.KeyPrefix;
        _options = options.Value;
    }

    public IReadOnlyCollection<string> Tenants => [.. _tenants.Keys];

    public async Task RecordAsync(IReadOnlyList<ClientActivity> activity, CancellationToken cancellationToken)
    {
        var db = _connection.GetDatabase();
        var writes = new List<Task>();
        foreach (var tenant in activity.GroupBy(a => a.Tenant, StringComparer.Ordinal))
        {
            _tenants.TryAdd(tenant.Key, 0);
            var args = new List<RedisValue> { _options.MaxClients, (long)_options.ActiveWindow.TotalMilliseconds };
            foreach (var client in tenant)
            {
                args.Add(client.ClientId);
                args.Add(client.LastSeen.ToUnixTimeMilliseconds());
                args.Add(client.Network ?? string.Empty);
            }

            writes.Add(db.ScriptEvaluateAsync(RecordScript, [Active(tenant.Key), Networks(tenant.Key)], [.. args]));
        }

        await RunAsync(() => Task.WhenAll(writes), cancellationToken);
    }

    public async Task<IReadOnlyList<ClientActivity>> ReadActiveAsync(string tenant, DateTimeOffset since, int max, CancellationToken cancellationToken)
    {
        var db = _connection.GetDatabase();
        var entries = await RunAsync(
            () => db.SortedSetRangeByScoreWithScoresAsync(Active(tenant), since.ToUnixTimeMilliseconds(), double.PositiveInfinity, Exclude.None, Order.Descending, 0, max),
            cancellationToken);
        if (entries.Length == 0)
        {
            return [];
        }

        var networks = await RunAsync(() => db.HashGetAsync(Networks(tenant), [.. entries.Select(e => e.Element)]), cancellationToken);
        return [.. entries.Select((e, i) => new ClientActivity(
            tenant, e.Element!, DateTimeOffset.FromUnixTimeMilliseconds((long)e.Score), networks[i].IsNullOrEmpty ? null : (string?)networks[i]))];
    }

    public async Task DeleteAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        var db = _connection.GetDatabase();
        await RunAsync(() => Task.WhenAll(db.SortedSetRemoveAsync(Active(tenant), clientId), db.HashDeleteAsync(Networks(tenant), clientId)), cancellationToken);
    }

    private RedisKey Active(string tenant) => $"{_prefix}:{tenant}:sybil:active";

    private RedisKey Networks(string tenant) => $"{_prefix}:{tenant}:sybil:networks";

    private static async Task<T> RunAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation().WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new StateStoreUnavailableException("The Redis sybil-activity store failed.", ex);
        }
    }

    private static Task<bool> RunAsync(Func<Task> operation, CancellationToken cancellationToken)
        => RunAsync(async () => { await operation(); return true; }, cancellationToken);
}
