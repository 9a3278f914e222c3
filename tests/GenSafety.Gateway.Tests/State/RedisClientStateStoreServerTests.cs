using System.Diagnostics;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace GenSafety.Gateway.Tests.State;

/// <summary>
/// Tests that need a Redis of their own: they stop and restart it, flush its script cache or read its
/// command statistics. Each test gets a fresh private redis-server.
/// </summary>
public sealed class RedisClientStateStoreServerTests : IAsyncLifetime
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    private RedisServerProcess _redis = null!;
    private ServiceProvider _services = null!;
    private ConnectionMultiplexer _admin = null!;
    private ProfilingSession? _profiling;
    private readonly TestLoggerProvider _logs = new();
    private readonly string _tenant = SharedRedisFixture.NewId("tenant");

    private IClientStateStore Store => _services.GetRequiredService<IClientStateStore>();

    public async Task InitializeAsync()
    {
        _redis = await RedisServerProcess.StartNewAsync();
        _services = StateTestServices.Build(StateTestServices.Redis(_redis.EndPoint, "gs", OperationTimeout), logs: _logs);
        _admin = await ConnectionMultiplexer.ConnectAsync($"{_redis.EndPoint},allowAdmin=true,abortConnect=false");
    }

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        await _services.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task EachOperation_IsOneCommand()
    {
        var (client, key) = StateTestServices.NewClient(_tenant);
        var (warm, warmKey) = StateTestServices.NewClient(_tenant);
        // The first use of a script may load it; after that every call is one EVALSHA.
        await Store.CreateClientAsync(warm, warmKey, default);
        await Store.RecordUsageAsync(_tenant, warm.ClientId, 1, 1, default);
        await Store.DeleteClientAsync(_tenant, warm.ClientId, default);

        Assert.Equal("evalsha", await SingleCommandAsync(() => Store.CreateClientAsync(client, key, default).AsTask()));
        Assert.Equal("hmget", await SingleCommandAsync(() => Store.GetClientAsync(_tenant, client.ClientId, default).AsTask()));
        Assert.Equal("hmget", await SingleCommandAsync(() => Store.GetApiKeyAsync(key.KeyId, default).AsTask()));
        Assert.Equal("evalsha", await SingleCommandAsync(() => Store.RecordUsageAsync(_tenant, client.ClientId, 1, 2, default).AsTask()));
        Assert.Equal("hmget", await SingleCommandAsync(() => Store.GetUsageAsync(_tenant, client.ClientId, default).AsTask()));
        Assert.Equal("evalsha", await SingleCommandAsync(() => Store.DeleteClientAsync(_tenant, client.ClientId, default).AsTask()));
    }

    [Fact]
    public async Task ScriptCacheFlushed_ScriptsStillRun()
    {
        var (client, key) = StateTestServices.NewClient(_tenant);
        await Store.CreateClientAsync(client, key, default);
        await Store.RecordUsageAsync(_tenant, client.ClientId, 1, 1, default);

        await _admin.GetServers()[0].ScriptFlushAsync();

        Assert.Equal(2, (await Store.RecordUsageAsync(_tenant, client.ClientId, 1, 1, default)).Requests);
        Assert.True(await Store.DeleteClientAsync(_tenant, client.ClientId, default));
    }

    [Fact]
    public async Task RedisStopped_OperationsFailFastWithStateStoreUnavailable()
    {
        var (client, key) = StateTestServices.NewClient(_tenant);
        await Store.CreateClientAsync(client, key, default);
        var (other, otherKey) = StateTestServices.NewClient(_tenant);

        await _redis.StopAsync();

        var calls = new (string Operation, Func<Task> Call)[]
        {
            ("create_client", () => Store.CreateClientAsync(other, otherKey, default).AsTask()),
            ("get_client", () => Store.GetClientAsync(_tenant, client.ClientId, default).AsTask()),
            ("get_api_key", () => Store.GetApiKeyAsync(key.KeyId, default).AsTask()),
            ("delete_client", () => Store.DeleteClientAsync(_tenant, client.ClientId, default).AsTask()),
            ("record_usage", () => Store.RecordUsageAsync(_tenant, client.ClientId, 1, 1, default).AsTask()),
            ("get_usage", () => Store.GetUsageAsync(_tenant, client.ClientId, default).AsTask()),
        };
        foreach (var (operation, call) in calls)
        {
            var watch = Stopwatch.StartNew();
            var ex = await Assert.ThrowsAsync<StateStoreUnavailableException>(call);
            // Bounded by the operation timeout (plus the client's 1 s timeout-check tick), never a hang.
            Assert.InRange(watch.Elapsed, TimeSpan.Zero, OperationTimeout + TimeSpan.FromSeconds(2));
            Assert.Contains($"'{operation}'", ex.Message, StringComparison.Ordinal);
            Assert.True(ex.InnerException is RedisException or RedisTimeoutException, ex.InnerException?.GetType().Name);
        }

        StateStoreHealth health = await Store.CheckHealthAsync(default);
        Assert.False(health.Healthy);
        Assert.Equal(StateStoreKinds.Redis, health.Kind);
        Assert.False(string.IsNullOrEmpty(health.Error));
    }

    [Fact]
    public async Task RedisRestarted_StoreRecoversByItself()
    {
        var (before, beforeKey) = StateTestServices.NewClient(_tenant);
        await Store.CreateClientAsync(before, beforeKey, default);
        await Store.RecordUsageAsync(_tenant, before.ClientId, 1, 1, default);
        await _redis.StopAsync();
        Assert.False((await Store.CheckHealthAsync(default)).Healthy);

        await _redis.StartAsync();

        // The restarted server is empty (no persistence) and has no scripts loaded: both must be handled.
        var watch = Stopwatch.StartNew();
        while (!(await Store.CheckHealthAsync(default)).Healthy)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the store did not reconnect within 20 s");
            await Task.Delay(100);
        }

        // One warning for the outage and one line for its end, however many reconnect attempts it took.
        // The client raises connection events on the thread pool: give the last one a moment.
        for (int i = 0; i < 50 && !_logs.Entries.Any(e => e.EventId.Id == 2003); i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal([2002, 2003], _logs.Entries.Where(e => e.EventId.Id is 2002 or 2003).Select(e => e.EventId.Id));

        var (after, afterKey) = StateTestServices.NewClient(_tenant);
        await Store.CreateClientAsync(after, afterKey, default);
        Assert.Equal(1, (await Store.RecordUsageAsync(_tenant, after.ClientId, 1, 1, default)).Requests);
        Assert.True(await Store.DeleteClientAsync(_tenant, after.ClientId, default));
    }

    // What the client sent (StackExchange.Redis profiling: one entry per command on the wire) and, for the
    // server's side, how many scripts it ran: commands run inside a script count in commandstats too.
    private async Task<string> SingleCommandAsync(Func<Task> operation)
    {
        IConnectionMultiplexer connection = _services.GetRequiredService<IConnectionMultiplexer>();
        var session = new ProfilingSession();
        connection.RegisterProfiler(() => _profiling);
        _profiling = session;
        IServer server = _admin.GetServers()[0];
        Dictionary<string, long> before = await CommandCallsAsync(server);

        await operation();

        Dictionary<string, long> after = await CommandCallsAsync(server);
        _profiling = null;
        string[] sent = session.FinishProfiling().Select(c => c.Command.ToLowerInvariant()).ToArray();
        Assert.True(sent.Length == 1, "commands sent: " + string.Join(", ", sent));
        // The profiler names a script call EVAL whichever form went on the wire; the server tells which.
        long ran(string command) => after.GetValueOrDefault(command) - before.GetValueOrDefault(command);
        bool script = sent[0] is "eval" or "evalsha";
        Assert.Equal((script ? 1 : 0, 0), (ran("evalsha"), ran("eval")));
        return script ? "evalsha" : sent[0];
    }

    // Calls per command from INFO commandstats ("cmdstat_evalsha" -> "calls=3,usec=...").
    private static async Task<Dictionary<string, long>> CommandCallsAsync(IServer server)
    {
        IGrouping<string, KeyValuePair<string, string>>[] info = await server.InfoAsync("commandstats");
        return info.SelectMany(g => g).ToDictionary(
            e => e.Key.Replace("cmdstat_", "", StringComparison.Ordinal),
            e => long.Parse(e.Value.Split(',')[0].Split('=')[1]));
    }
}
