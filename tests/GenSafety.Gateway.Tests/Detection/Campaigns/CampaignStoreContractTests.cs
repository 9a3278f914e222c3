using GenSafety.Gateway.Detection.Campaigns;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Detection.Campaigns;

/// <summary>Behaviour every <see cref="ICampaignStore"/> must have, run against Redis and memory.</summary>
public abstract class CampaignStoreContractTests
{
    protected static readonly CampaignOptions Settings = new() { MaxMembers = 3, Window = TimeSpan.FromMinutes(30) };

    protected string Tenant { get; } = SharedRedisFixture.NewId("tenant");

    protected abstract ICampaignStore Store { get; }

    private static CampaignRecord Record(string[] clients, int[] settings, int requests, ulong key = 7) => new(CampaignKinds.Sweep, key, clients, settings, requests);

    [Fact]
    public async Task Record_PoolsClientsSettingsAndRequests_PerSignature()
    {
        await Store.RecordAsync(Tenant, Record(["a", "b"], [1, 2, 3], 2), default);
        var totals = await Store.RecordAsync(Tenant, Record(["b", "c"], [3, 4], 5), default);
        var other = await Store.RecordAsync(Tenant, Record(["a"], [9], 1, key: 8), default);

        Assert.Equal(new CampaignTotals(3, 4, 7), totals);
        Assert.Equal(new CampaignTotals(1, 1, 1), other);
    }

    [Fact]
    public async Task Members_AreBoundedByMaxMembers()
    {
        var totals = await Store.RecordAsync(Tenant, Record(["a", "b", "c", "d", "e"], [], 5), default);
        var claimed = await Store.ClaimAsync(Tenant, CampaignKinds.Sweep, 7, 0.6, 0.05, default);

        Assert.Equal(3, totals.Members);
        Assert.Equal(3, claimed.Count);
    }

    [Fact]
    public async Task Claim_ReturnsEachMemberOncePerRise_AndNewMembersLater()
    {
        await Store.RecordAsync(Tenant, Record(["a", "b"], [1], 2), default);

        var first = await Store.ClaimAsync(Tenant, CampaignKinds.Sweep, 7, 0.6, 0.05, default);
        var again = await Store.ClaimAsync(Tenant, CampaignKinds.Sweep, 7, 0.62, 0.05, default);
        await Store.RecordAsync(Tenant, Record(["c"], [2], 1), default);
        var joined = await Store.ClaimAsync(Tenant, CampaignKinds.Sweep, 7, 0.62, 0.05, default);
        var risen = await Store.ClaimAsync(Tenant, CampaignKinds.Sweep, 7, 0.9, 0.05, default);

        Assert.Equal(["a", "b"], first.Order(StringComparer.Ordinal));
        Assert.Empty(again);
        Assert.Equal(["c"], joined);
        Assert.Equal(["a", "b", "c"], risen.Order(StringComparer.Ordinal));
        Assert.Empty(await Store.ClaimAsync(Tenant, CampaignKinds.Harvest, 7, 0.9, 0.05, default));
    }
}

public sealed class InMemoryCampaignStoreTests : CampaignStoreContractTests
{
    private readonly InMemoryCampaignStore _store;

    public InMemoryCampaignStoreTests() => _store = new InMemoryCampaignStore(Options.Create(Settings), Time);

    private TestTimeProvider Time { get; } = new();

    protected override ICampaignStore Store => _store;

    [Fact]
    public async Task Evidence_ExpiresAWindowAfterTheLatestRequest()
    {
        await Store.RecordAsync(Tenant, new CampaignRecord(CampaignKinds.Divergence, 0, ["a"], [1], 1), default);
        Time.Advance(TimeSpan.FromMinutes(20));
        var kept = await Store.RecordAsync(Tenant, new CampaignRecord(CampaignKinds.Divergence, 0, ["b"], [2], 1), default);
        Time.Advance(TimeSpan.FromMinutes(31));
        var fresh = await Store.RecordAsync(Tenant, new CampaignRecord(CampaignKinds.Divergence, 0, ["c"], [3], 1), default);

        Assert.Equal(new CampaignTotals(2, 2, 2), kept);
        Assert.Equal(new CampaignTotals(1, 1, 1), fresh);
    }
}

public sealed class RedisCampaignStoreTests(SharedRedisFixture redis) : CampaignStoreContractTests, IClassFixture<SharedRedisFixture>
{
    private readonly string _prefix = SharedRedisFixture.NewKeyPrefix();

    protected override ICampaignStore Store => new RedisCampaignStore(redis.Connection, Options.Create(new StateStoreOptions { KeyPrefix = _prefix }), Options.Create(Settings));

    [Fact]
    public async Task Keys_FollowTheLayout_AndExpireAfterTheWindow()
    {
        await Store.RecordAsync(Tenant, new CampaignRecord(CampaignKinds.Sweep, 0xABCDEF, ["a"], [5], 1), default);
        var db = redis.Connection.GetDatabase();
        var key = $"{_prefix}:{Tenant}:camp:sweep:0000000000abcdef";

        foreach (var part in new[] { ":m", ":s", ":n" })
        {
            Assert.InRange((await db.KeyTimeToLiveAsync(key + part))!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
        }

        Assert.Equal("0", (string?)await db.HashGetAsync(key + ":m", "a"));
        Assert.True(await db.StringGetBitAsync(key + ":s", 5));
    }
}
