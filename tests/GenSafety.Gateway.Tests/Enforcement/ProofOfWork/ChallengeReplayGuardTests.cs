using System.Diagnostics;
using GenSafety.Gateway.Enforcement.ProofOfWork;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace GenSafety.Gateway.Tests.Enforcement.ProofOfWork;

[Collection(SharedRedisDefinition.Name)]
public sealed class RedisChallengeReplayGuardTests(SharedRedisFixture redis)
{
    [Fact]
    public async Task TryConsume_SecondTime_False_KeyExpiresWithToken()
    {
        string prefix = SharedRedisFixture.NewKeyPrefix();
        await using ServiceProvider services = PowTestServices.Build(redis.EndPoint, keyPrefix: prefix);
        var guard = services.GetRequiredService<IChallengeReplayGuard>();
        string tenant = SharedRedisFixture.NewId("tenant");
        DateTimeOffset expiresAt = DateTimeOffset.UtcNow.AddMinutes(2);

        Assert.True(await guard.TryConsumeAsync(tenant, "token-1", expiresAt, default));
        Assert.False(await guard.TryConsumeAsync(tenant, "token-1", expiresAt, default));
        Assert.True(await guard.TryConsumeAsync(tenant, "token-2", expiresAt, default));

        IDatabase db = redis.Connection.GetDatabase();
        TimeSpan? ttl = await db.KeyTimeToLiveAsync($"{prefix}:{tenant}:pow:token-1");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task TryConsume_50Parallel_ExactlyOneWins()
    {
        await using ServiceProvider services = PowTestServices.Build(redis.EndPoint, keyPrefix: SharedRedisFixture.NewKeyPrefix());
        var guard = services.GetRequiredService<IChallengeReplayGuard>();
        string tenant = SharedRedisFixture.NewId("tenant");
        DateTimeOffset expiresAt = DateTimeOffset.UtcNow.AddMinutes(1);

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            Task.Run(async () => await guard.TryConsumeAsync(tenant, "contested", expiresAt, default))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task TryConsume_RedisStopped_ThrowsStateStoreUnavailableQuickly()
    {
        await using RedisServerProcess own = await RedisServerProcess.StartNewAsync();
        await using ServiceProvider services = PowTestServices.Build(own.EndPoint);
        var guard = services.GetRequiredService<IChallengeReplayGuard>();
        Assert.True(await guard.TryConsumeAsync("tenant-a", "before", DateTimeOffset.UtcNow.AddMinutes(1), default));

        await own.StopAsync();
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<StateStoreUnavailableException>(async () =>
            await guard.TryConsumeAsync("tenant-a", "during", DateTimeOffset.UtcNow.AddMinutes(1), default));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }
}

public sealed class InMemoryChallengeReplayGuardTests
{
    private readonly TestTimeProvider _time = new();

    [Fact]
    public async Task TryConsume_SecondTime_False_OtherTenantIndependent()
    {
        var guard = new InMemoryChallengeReplayGuard(_time);
        DateTimeOffset expiresAt = _time.GetUtcNow().AddMinutes(2);

        Assert.True(await guard.TryConsumeAsync("tenant-a", "token-1", expiresAt, default));
        Assert.False(await guard.TryConsumeAsync("tenant-a", "token-1", expiresAt, default));
        Assert.True(await guard.TryConsumeAsync("tenant-b", "token-1", expiresAt, default));
    }

    [Fact]
    public async Task TryConsume_50Parallel_ExactlyOneWins()
    {
        var guard = new InMemoryChallengeReplayGuard(_time);
        DateTimeOffset expiresAt = _time.GetUtcNow().AddMinutes(1);

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            Task.Run(async () => await guard.TryConsumeAsync("tenant-a", "contested", expiresAt, default))));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task TryConsume_Full_SweepsExpired_ThenFailsClosed()
    {
        var guard = new InMemoryChallengeReplayGuard(_time, capacity: 2);
        DateTimeOffset soon = _time.GetUtcNow().AddSeconds(10);
        DateTimeOffset later = _time.GetUtcNow().AddMinutes(10);
        Assert.True(await guard.TryConsumeAsync("t", "a", soon, default));
        Assert.True(await guard.TryConsumeAsync("t", "b", later, default));

        // Full of unexpired tokens: refuse rather than forget one.
        Assert.False(await guard.TryConsumeAsync("t", "c", later, default));

        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.True(await guard.TryConsumeAsync("t", "c", later, default));
        Assert.False(await guard.TryConsumeAsync("t", "b", later, default));
        Assert.Equal(2, guard.Count);
    }
}
