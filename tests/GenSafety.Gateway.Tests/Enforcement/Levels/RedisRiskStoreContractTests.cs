using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Tests.Enforcement.Admission;
using GenSafety.Gateway.Tests.Infrastructure;
using StackExchange.Redis;

namespace GenSafety.Gateway.Tests.Enforcement.Levels;

[Collection(SharedRedisDefinition.Name)]
public sealed class RedisRiskStoreContractTests(SharedRedisFixture redis) : RiskStoreContractTests
{
    // One prefix per test (xunit makes an instance per test); tenants are unique too.
    private readonly string _prefix = SharedRedisFixture.NewKeyPrefix();

    protected override Type ExpectedStoreType => typeof(RedisRiskStore);

    protected override Dictionary<string, string?> BackendSettings() => AdmissionTestServices.Redis(redis.EndPoint, _prefix);

    [Fact]
    public async Task RiskHash_ExpiresAfterStateTtl_DeleteRemovesIt_AuditStays()
    {
        IDatabase db = redis.Connection.GetDatabase();
        RedisKey risk = $"{_prefix}:{Tenant}:risk:{Client}";
        RedisKey audit = $"{_prefix}:{Tenant}:audit";

        await Set(0.95);
        TimeSpan? ttl = await db.KeyTimeToLiveAsync(risk);
        Assert.InRange(ttl ?? TimeSpan.Zero, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        Assert.Equal(1, await db.StreamLengthAsync(audit));

        await Store.DeleteAsync(Tenant, Client, default);
        Assert.False(await db.KeyExistsAsync(risk));
        Assert.Equal(1, await db.StreamLengthAsync(audit));
    }
}
