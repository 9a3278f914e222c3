using System.Diagnostics;
using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace GenSafety.Gateway.Tests.Enforcement.Admission;

/// <summary>Admission against a private Redis: two replicas, command counts, outages.</summary>
public sealed class RedisAdmissionServerTests : IAsyncLifetime
{
    private readonly string _tenant = SharedRedisFixture.NewId("tenant");
    private readonly List<ServiceProvider> _providers = [];
    private RedisServerProcess _redis = null!;
    private ConnectionMultiplexer _admin = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServerProcess.StartNewAsync();
        _admin = await ConnectionMultiplexer.ConnectAsync($"{_redis.EndPoint},allowAdmin=true,abortConnect=false");
    }

    public async Task DisposeAsync()
    {
        foreach (ServiceProvider provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _admin.DisposeAsync();
        await _redis.DisposeAsync();
    }

    // One "replica": its own service provider, hence its own multiplexer.
    private ServiceProvider Replica(string failureMode = "closed", int replicas = 1)
    {
        ServiceProvider provider = AdmissionTestServices.Build(AdmissionTestServices.Redis(_redis.EndPoint, "gs", failureMode, replicas));
        _providers.Add(provider);
        return provider;
    }

    private static AdmissionRequest Request(ClientIdentity client, long input = 0, long output = 0, bool stream = false) =>
        new(client, input, output, stream, DateTimeOffset.UtcNow);

    [Fact]
    public async Task TwoReplicas_ConcurrentRequests_AdmitExactlyTheLimit()
    {
        IAdmissionStore a = Replica().GetRequiredService<IAdmissionStore>();
        IAdmissionStore b = Replica().GetRequiredService<IAdmissionStore>();
        ClientIdentity client = AdmissionTestServices.NewClient(_admin.GetDatabase(), _tenant);
        PolicyLimits limits = AdmissionTestServices.Limits(rpm: 50);
        // A one-minute GCRA window: refill during the run is at most a few requests; pin "now" to remove even that.
        DateTimeOffset now = DateTimeOffset.UtcNow;

        AdmissionDecision[] decisions = await Task.WhenAll(Enumerable.Range(0, 240).Select(i =>
            (i % 2 == 0 ? a : b).AdmitAsync(new AdmissionRequest(client, 0, 0, false, now), limits, default).AsTask()));

        Assert.Equal(50, decisions.Count(d => d.Admitted));
        Assert.All(decisions.Where(d => !d.Admitted), d => Assert.Equal(AdmissionLimit.Requests, d.Limit));
    }

    [Fact]
    public async Task TwoReplicas_ConcurrentTokens_NeverOverTheLimit_AndReconciliationReturnsTokens()
    {
        IAdmissionStore a = Replica().GetRequiredService<IAdmissionStore>();
        IAdmissionStore b = Replica().GetRequiredService<IAdmissionStore>();
        ClientIdentity client = AdmissionTestServices.NewClient(_admin.GetDatabase(), _tenant);
        PolicyLimits limits = AdmissionTestServices.Limits(tpm: 1000, streams: 1000);
        DateTimeOffset now = DateTimeOffset.UtcNow;

        AdmissionDecision[] decisions = await Task.WhenAll(Enumerable.Range(0, 240).Select(i =>
            (i % 2 == 0 ? a : b).AdmitAsync(new AdmissionRequest(client, 3, 4, i % 3 == 0, now), limits, default).AsTask()));

        // Charged (input + reserved output) never exceeds the limit; 1000 / 7 = 142 requests fit.
        AdmissionReservation[] admitted = decisions.Where(d => d.Admitted).Select(d => d.Reservation!).ToArray();
        Assert.Equal(142, admitted.Length);

        // Each used 1 of its 4 reserved output tokens: 3 x 142 = 426 return, then fit again.
        long returned = 0;
        foreach (AdmissionReservation r in admitted)
        {
            returned += await (r.Id.GetHashCode() % 2 == 0 ? a : b).ReconcileAsync(r, 1, default);
        }

        Assert.Equal(426, returned);
        AdmissionDecision[] second = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            a.AdmitAsync(new AdmissionRequest(client, 4, 0, false, now), limits, default).AsTask()));
        Assert.Equal((1000 - (142 * 4)) / 4, second.Count(d => d.Admitted));
    }

    [Fact]
    public async Task Admission_IsOneRedisCommand()
    {
        ServiceProvider replica = Replica();
        IAdmissionStore store = replica.GetRequiredService<IAdmissionStore>();
        IConnectionMultiplexer connection = replica.GetRequiredService<IConnectionMultiplexer>();
        ClientIdentity client = AdmissionTestServices.NewClient(_admin.GetDatabase(), _tenant);
        PolicyLimits limits = AdmissionTestServices.Limits(rpm: 1000, tpm: 100_000, streams: 100, daily: 1_000_000);
        AdmissionDecision warm = await store.AdmitAsync(Request(client, 1, 1, true), limits, default); // loads the script
        await store.ReconcileAsync(warm.Reservation!, 0, default);

        ProfilingSession? session = new();
        connection.RegisterProfiler(() => session);
        IServer server = _admin.GetServers()[0];
        Dictionary<string, long> before = await CommandCallsAsync(server);

        const int Batch = 50;
        var reservations = new List<AdmissionReservation>();
        for (int i = 0; i < Batch; i++)
        {
            reservations.Add((await store.AdmitAsync(Request(client, 10, 20, true), limits, default)).Reservation!);
        }

        string[] sent = session.FinishProfiling().Select(c => c.Command.ToLowerInvariant()).ToArray();
        Dictionary<string, long> after = await CommandCallsAsync(server);
        session = null;
        Assert.Equal(Batch, sent.Length);
        Assert.All(sent, c => Assert.True(c is "eval" or "evalsha", c));
        Assert.Equal(Batch, after.GetValueOrDefault("evalsha") - before.GetValueOrDefault("evalsha"));
        Assert.Equal(0, after.GetValueOrDefault("eval") - before.GetValueOrDefault("eval"));

        // Settlement (reconciliation, stream release and usage together): one script.
        session = new ProfilingSession();
        await store.SettleAsync(reservations[0], 5, new UsageDelta(3, 5), default);
        Assert.Equal(["eval"], session.FinishProfiling().Select(c => c.Command.ToLowerInvariant()).Select(c => c == "evalsha" ? "eval" : c));
    }

    [Fact]
    public async Task SettlementBatch_SentTwice_IsAppliedOnce()
    {
        IDatabase redis = _admin.GetDatabase();
        ClientIdentity client = AdmissionTestServices.NewClient(redis, _tenant);
        var keys = new AdmissionRedisKeys("gs");
        RedisKey marker = keys.SettlementMarker(SharedRedisFixture.NewId("replica"));
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        RedisKey[] settleKeys = [marker, .. keys.ForSettle(_tenant, client.ClientId, DateTimeOffset.UtcNow)];
        RedisValue[] Args(long sequence) => [sequence, 600_000, now, 0, 0, 0, 0, "", 7, 11, 3_600_000];
        RedisKey usage = settleKeys[4];

        // A batch applied, then sent again (its reply was lost with the connection): the marker skips it.
        Assert.Equal(1, (long)await redis.ScriptEvaluateAsync(AdmissionRedisScripts.Settle, settleKeys, Args(1)));
        Assert.Equal(-1, (long)await redis.ScriptEvaluateAsync(AdmissionRedisScripts.Settle, settleKeys, Args(1)));
        Assert.Equal(1, (long)await redis.HashGetAsync(usage, "requests"));
        Assert.Equal(11, (long)await redis.HashGetAsync(usage, "output_tokens"));

        // The replica's next batch is applied; the marker keeps the TTL it was given.
        Assert.Equal(1, (long)await redis.ScriptEvaluateAsync(AdmissionRedisScripts.Settle, settleKeys, Args(2)));
        Assert.Equal(2, (long)await redis.HashGetAsync(usage, "requests"));
        Assert.InRange((await redis.KeyTimeToLiveAsync(marker))!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Keys_HaveTtlsAndTheDocumentedNames()
    {
        IAdmissionStore store = Replica().GetRequiredService<IAdmissionStore>();
        ClientIdentity client = AdmissionTestServices.NewClient(_admin.GetDatabase(), _tenant);
        await store.AdmitAsync(Request(client, 10, 10, true), AdmissionTestServices.Limits(rpm: 10, tpm: 1000, streams: 2, daily: 5000), default);

        IServer server = _admin.GetServers()[0];
        RedisKey[] keys = server.Keys(pattern: $"gs:{_tenant}:rl:{client.ClientId}:*").ToArray();
        Assert.Equal(["day", "req", "streams", "tok"], keys.Select(k => ((string)k!).Split(':')[4]).Order());
        foreach (RedisKey key in keys)
        {
            TimeSpan? ttl = await _admin.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } t && t > TimeSpan.Zero && t <= TimeSpan.FromDays(1), $"{key}: {ttl}");
        }
    }

    [Fact]
    public async Task FailClosed_RedisStopped_ThrowsStateStoreUnavailableQuickly()
    {
        IAdmissionStore store = Replica("closed").GetRequiredService<IAdmissionStore>();
        ClientIdentity client = AdmissionTestServices.NewClient(_admin.GetDatabase(), _tenant);
        Assert.True((await store.AdmitAsync(Request(client), AdmissionTestServices.Limits(rpm: 10), default)).Admitted);

        await _redis.StopAsync();

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<StateStoreUnavailableException>(() => store.AdmitAsync(Request(client), AdmissionTestServices.Limits(rpm: 10), default).AsTask());
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task FailOpen_RedisStopped_AdmitsWithinLocalLimits_ThenReturnsToRedis()
    {
        ServiceProvider replica = Replica("open", replicas: 4);
        IAdmissionStore store = replica.GetRequiredService<IAdmissionStore>();
        var failover = replica.GetRequiredService<FailoverAdmissionStore>();
        ClientIdentity client = AdmissionTestServices.NewClient(_admin.GetDatabase(), _tenant);
        PolicyLimits limits = AdmissionTestServices.Limits(rpm: 40);
        Assert.True((await store.AdmitAsync(Request(client), limits, default)).Admitted);
        Assert.False(failover.IsDegraded);

        await _redis.StopAsync();

        // 40 / 4 replicas = 10 per minute locally.
        var watch = Stopwatch.StartNew();
        AdmissionDecision[] during = new AdmissionDecision[15];
        for (int i = 0; i < during.Length; i++)
        {
            during[i] = await store.AdmitAsync(Request(client), limits, default);
        }

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.All(during, d => Assert.True(d.Degraded));
        Assert.Equal(10, during.Count(d => d.Admitted));
        Assert.True(failover.IsDegraded);
        Assert.Equal(InMemoryAdmissionStore.KindName, store.Kind);
        // Settling a reservation from the outage works on the store that admitted it.
        Assert.Equal(0, await store.ReconcileAsync(during[0].Reservation!, 0, default));

        await _redis.StartAsync();
        // The test Redis keeps nothing across a restart; a production one persists its clients.
        AdmissionTestServices.StoreClient(_admin.GetDatabase(), client);

        AdmissionDecision? back = null;
        var recovery = Stopwatch.StartNew();
        while (back is not { Degraded: false })
        {
            Assert.True(recovery.Elapsed < TimeSpan.FromSeconds(20), "admission did not return to Redis within 20 s");
            await Task.Delay(200);
            back = await store.AdmitAsync(Request(client), limits, default);
        }

        Assert.True(back.Admitted);
        Assert.Equal(RedisAdmissionStore.KindName, back.Reservation!.Backend);
        Assert.False(failover.IsDegraded);
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
