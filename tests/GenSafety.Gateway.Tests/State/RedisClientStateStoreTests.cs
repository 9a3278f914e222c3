using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.Infrastructure;
using StackExchange.Redis;

namespace GenSafety.Gateway.Tests.State;

[Collection(SharedRedisDefinition.Name)]
public sealed class RedisClientStateStoreTests(SharedRedisFixture redis) : ClientStateStoreContractTests
{
    private readonly string _prefix = SharedRedisFixture.NewKeyPrefix();

    protected override string ExpectedKind => StateStoreKinds.Redis;

    private IDatabase Db => redis.Connection.GetDatabase();

    protected override Dictionary<string, string?> Settings() => StateTestServices.Redis(redis.EndPoint, _prefix);

    [Fact]
    public async Task CreateAndRecordUsage_WriteTheDocumentedKeyLayout()
    {
        var (client, key) = StateTestServices.NewClient(Tenant, "c1");
        await Store.CreateClientAsync(client, key, default);
        await Store.RecordUsageAsync(Tenant, "c1", 11, 22, default);

        string clientKey = $"{_prefix}:{Tenant}:client:c1";
        Assert.Equal(RedisType.Hash, await Db.KeyTypeAsync(clientKey));
        Assert.Equal("default", await Db.HashGetAsync(clientKey, "policy"));
        Assert.Equal([key.KeyId], (await Db.SetMembersAsync($"{clientKey}:keys")).Select(v => v.ToString()));
        Assert.Equal(22, (long)await Db.HashGetAsync($"{_prefix}:{Tenant}:usage:c1", "output_tokens"));
        Assert.Equal(key.SecretHash, (byte[]?)await Db.HashGetAsync($"{_prefix}:key:{key.KeyId}", "hash"));
        Assert.Equal("c1", await Db.HashGetAsync($"{_prefix}:key:{key.KeyId}", "client"));
        Assert.Equal(client.CreatedAt.ToUnixTimeMilliseconds(), (long)await Db.HashGetAsync(clientKey, "created"));
        // Only usage expires: clients and keys live until deleted.
        Assert.Null(await Db.KeyTimeToLiveAsync(clientKey));
        Assert.Null(await Db.KeyTimeToLiveAsync($"{_prefix}:key:{key.KeyId}"));
    }

    [Fact]
    public async Task RecordUsage_SetsAndRenewsTheIdleTtl()
    {
        var (client, key) = StateTestServices.NewClient(Tenant);
        await Store.CreateClientAsync(client, key, default);
        string usageKey = $"{_prefix}:{Tenant}:usage:{client.ClientId}";

        await Store.RecordUsageAsync(Tenant, client.ClientId, 1, 1, default);
        AssertCloseToIdleTtl(await Db.KeyTimeToLiveAsync(usageKey));

        await Db.KeyExpireAsync(usageKey, TimeSpan.FromSeconds(30));
        await Store.RecordUsageAsync(Tenant, client.ClientId, 1, 1, default);
        AssertCloseToIdleTtl(await Db.KeyTimeToLiveAsync(usageKey));
    }

    [Fact]
    public async Task DeleteClient_LeavesNoKeysBehind()
    {
        var (client, key) = StateTestServices.NewClient(Tenant);
        await Store.CreateClientAsync(client, key, default);
        await Store.RecordUsageAsync(Tenant, client.ClientId, 1, 1, default);

        await Store.DeleteClientAsync(Tenant, client.ClientId, default);

        IServer server = redis.Connection.GetServers()[0];
        Assert.Empty(await server.KeysAsync(pattern: $"{_prefix}:*").ToArrayAsync());
    }

    private static void AssertCloseToIdleTtl(TimeSpan? ttl)
    {
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, IdleTtl - TimeSpan.FromMinutes(1), IdleTtl);
    }
}
