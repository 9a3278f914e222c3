using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GenSafety.Gateway.Tests.Enforcement.Levels;

/// <summary>
/// Behaviour every <see cref="IRiskStore"/> must have, run against Redis and memory with the default ladder
/// (thresholds 0.3 / 0.5 / 0.7 / 0.9, hysteresis 0.05, half-life 1 h, block 1 h). Both stores read the clock from the
/// <see cref="TestTimeProvider"/> registered in DI (the Redis scripts get "now" from the caller), so time is simulated
/// on both. Risk is compared to 6 decimals and audit risk to 4, the precision the Redis scripts return.
/// </summary>
public abstract class RiskStoreContractTests : IAsyncLifetime
{
    protected const string Detector = "detector";
    protected const string Admin = "admin";
    private static readonly TimeSpan HalfLife = TimeSpan.FromHours(1);
    private static readonly TimeSpan BlockDuration = TimeSpan.FromHours(1);

    private readonly List<ServiceProvider> _providers = [];

    protected TestTimeProvider Time { get; } = new();

    protected string Tenant { get; } = SharedRedisFixture.NewId("tenant");

    protected string Client { get; } = SharedRedisFixture.NewId("client");

    protected IRiskStore Store { get; private set; } = null!;

    protected abstract Type ExpectedStoreType { get; }

    /// <summary>Settings that select the backend (a fresh key prefix each call for Redis).</summary>
    protected abstract Dictionary<string, string?> BackendSettings();

    public Task InitializeAsync()
    {
        Store = CreateStore();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (ServiceProvider services in _providers)
        {
            await services.DisposeAsync();
        }
    }

    /// <summary>Another store on the same backend and clock, with <c>GenSafety:Enforcement:Risk</c> settings changed.</summary>
    protected IRiskStore CreateStore(params (string Key, string Value)[] risk)
    {
        Dictionary<string, string?> settings = BackendSettings();
        foreach ((string key, string value) in risk)
        {
            settings[$"{EnforcementOptions.RiskSection}:{key}"] = value;
        }

        ServiceProvider services = LevelsTestServices.Build(settings, Time);
        _providers.Add(services);
        return services.GetRequiredService<IRiskStore>();
    }

    /// <summary>Now (to the millisecond, as the stores keep it) plus <paramref name="after"/>.</summary>
    protected DateTimeOffset Now(TimeSpan after = default) =>
        DateTimeOffset.FromUnixTimeMilliseconds(Time.GetUtcNow().ToUnixTimeMilliseconds()) + after;

    protected ValueTask<RiskSnapshot> Set(double score, string source = Detector, bool raiseOnly = false, string? client = null) =>
        Store.SetRiskAsync(Tenant, client ?? Client, new RiskUpdate(score, source, $"{source} said {score}", Detector, raiseOnly), default);

    protected ValueTask<RiskSnapshot> Get(string? client = null) => Store.GetAsync(Tenant, client ?? Client, default);

    protected ValueTask<RiskSnapshot> Pin(EnforcementLevel? level, TimeSpan? duration, string reason = "manual review") =>
        Store.PinLevelAsync(Tenant, Client, level, duration, Admin, reason, default);

    protected ValueTask<RiskSnapshot> Unblock(string reason = "false positive", string? client = null) =>
        Store.UnblockAsync(Tenant, client ?? Client, Admin, reason, default);

    protected async Task<IReadOnlyList<AuditEntry>> Audit(string? client = null, int count = 100, IRiskStore? store = null) =>
        await (store ?? Store).ReadAuditAsync(Tenant, client, count, default);

    /// <summary>The newest audit entry of <see cref="Client"/>, checked against what it must say.</summary>
    protected async Task AssertLastAudit(EnforcementLevel from, EnforcementLevel to, string actor, string reason, double? risk = null)
    {
        AuditEntry entry = (await Audit(Client, 1))[0];
        Assert.Equal((Client, from, to, actor, reason, Now()), (entry.ClientId, entry.From, entry.To, entry.Actor, entry.Reason, entry.At));
        if (risk is { } r)
        {
            Assert.Equal(r, entry.Risk, 4);
        }
    }

    protected static void AssertState(RiskSnapshot snapshot, EnforcementLevel level, double risk)
    {
        Assert.Equal(level, snapshot.Level);
        Assert.Equal(risk, snapshot.Risk, 6);
    }

    [Fact]
    public void AddEnforcementLevels_RegistersTheConfiguredBackend() => Assert.IsType(ExpectedStoreType, Store);

    [Fact]
    public async Task Get_UnknownClient_L0WithoutAnyState()
    {
        RiskSnapshot s = await Get();
        Assert.Equal((0.0, EnforcementLevel.Allow, null, null, null, null), (s.Risk, s.Level, s.PinnedLevel, s.PinnedUntil, s.BlockedUntil, s.Coverage));
        Assert.Empty(s.Reasons);
        Assert.Empty(await Audit());
    }

    [Theory]
    [InlineData(0.0, EnforcementLevel.Allow)]
    [InlineData(0.29, EnforcementLevel.Allow)]
    [InlineData(0.3, EnforcementLevel.Delay)]
    [InlineData(0.55, EnforcementLevel.Degrade)]
    [InlineData(0.75, EnforcementLevel.ProofOfWork)]
    [InlineData(0.9, EnforcementLevel.Block)]
    [InlineData(1.0, EnforcementLevel.Block)]
    public async Task SetRisk_MapsToLevel_AndAuditsTheChange(double score, EnforcementLevel expected)
    {
        AssertState(await Set(score), expected, score);
        AssertState(await Get(), expected, score);
        if (expected == EnforcementLevel.Allow)
        {
            Assert.Empty(await Audit());
        }
        else
        {
            Assert.Single(await Audit());
            await AssertLastAudit(EnforcementLevel.Allow, expected, Detector, $"{Detector} said {score}", score);
        }
    }

    [Fact]
    public async Task SetRisk_ClimbsAndDescendsWithHysteresis()
    {
        AssertState(await Set(0.55), EnforcementLevel.Degrade, 0.55);
        AssertState(await Set(0.47), EnforcementLevel.Degrade, 0.47); // inside the 0.05 band below 0.5
        AssertState(await Set(0.44), EnforcementLevel.Delay, 0.44);
        AssertState(await Set(0.48), EnforcementLevel.Delay, 0.48); // the band holds a level, never lifts to one
        AssertState(await Set(0.75), EnforcementLevel.ProofOfWork, 0.75);
        AssertState(await Set(0.2), EnforcementLevel.Allow, 0.2);
        Assert.Equal(
            [(EnforcementLevel.ProofOfWork, EnforcementLevel.Allow), (EnforcementLevel.Delay, EnforcementLevel.ProofOfWork),
             (EnforcementLevel.Degrade, EnforcementLevel.Delay), (EnforcementLevel.Allow, EnforcementLevel.Degrade)],
            (await Audit()).Select(e => (e.From, e.To)));
    }

    [Fact]
    public async Task SetRisk_RaiseOnly_KeepsTheHigherDecayedRisk()
    {
        await Set(0.8);
        Time.Advance(HalfLife);
        AssertState(await Set(0.3, raiseOnly: true), EnforcementLevel.Delay, 0.4); // decayed 0.4 beats 0.3
        Time.Advance(HalfLife);
        AssertState(await Get(), EnforcementLevel.Allow, 0.2); // the kept risk was written anew, and decays from there
        AssertState(await Set(0.6, raiseOnly: true), EnforcementLevel.Degrade, 0.6);
        AssertState(await Set(0.1), EnforcementLevel.Allow, 0.1); // without RaiseOnly the score replaces the risk
    }

    [Fact]
    public async Task Get_RiskDecays_LevelDropsAndChangesAreAuditedAsDecay()
    {
        await Set(0.8);
        Time.Advance(HalfLife / 2);
        AssertState(await Get(), EnforcementLevel.Degrade, 0.8 / Math.Sqrt(2)); // 0.566: below 0.7 − 0.05
        await AssertLastAudit(EnforcementLevel.ProofOfWork, EnforcementLevel.Degrade, "decay", "risk decayed", 0.8 / Math.Sqrt(2));

        Time.Advance(HalfLife / 2);
        AssertState(await Get(), EnforcementLevel.Delay, 0.4);
        await AssertLastAudit(EnforcementLevel.Degrade, EnforcementLevel.Delay, "decay", "risk decayed", 0.4);
        AssertState(await Get(), EnforcementLevel.Delay, 0.4);
        Assert.Equal(3, (await Audit()).Count); // a read without a change writes nothing

        Time.Advance(HalfLife * 2);
        AssertState(await Get(), EnforcementLevel.Allow, 0.1);
        await AssertLastAudit(EnforcementLevel.Delay, EnforcementLevel.Allow, "decay", "risk decayed", 0.1);
    }

    [Fact]
    public async Task Block_ReachingL4_HoldsForBlockDurationWhileRiskDecays()
    {
        RiskSnapshot blocked = await Set(0.95);
        Assert.Equal(EnforcementLevel.Block, blocked.Level);
        DateTimeOffset until = Now(BlockDuration);
        Assert.Equal(until, blocked.BlockedUntil);

        // Risk decays below every L4 band (0.95 → 0.475) but the block holds, even against a lower score.
        Time.Advance(BlockDuration - TimeSpan.FromMilliseconds(1));
        AssertState(await Set(0.2, source: "other", raiseOnly: true), EnforcementLevel.Block, 0.95 / 2);
        RiskSnapshot held = await Get();
        Assert.Equal((EnforcementLevel.Block, until), (held.Level, held.BlockedUntil));

        Time.Advance(TimeSpan.FromMilliseconds(1));
        RiskSnapshot released = await Get();
        AssertState(released, EnforcementLevel.Degrade, 0.95 / 2); // 0.475 is within the band of L2
        Assert.Null(released.BlockedUntil);
        await AssertLastAudit(EnforcementLevel.Block, EnforcementLevel.Degrade, "decay", "risk decayed", 0.475);
    }

    [Fact]
    public async Task Block_RiskStillHighWhenItExpires_BlocksAgainFromThen()
    {
        Store = CreateStore(("HalfLife", "00:00:00"), ("BlockDuration", "00:10:00"));
        await Set(0.95);
        Time.Advance(TimeSpan.FromMinutes(10));
        RiskSnapshot again = await Get();
        Assert.Equal((EnforcementLevel.Block, Now(TimeSpan.FromMinutes(10))), (again.Level, again.BlockedUntil));

        // A lower score does not lift a running block; once it ends, the level follows the risk.
        AssertState(await Set(0.1), EnforcementLevel.Block, 0.1);
        Time.Advance(TimeSpan.FromMinutes(10));
        AssertState(await Get(), EnforcementLevel.Allow, 0.1);
    }

    [Fact]
    public async Task PinLevel_OverridesRisk_UntilItExpires()
    {
        await Set(0.1);
        RiskSnapshot pinned = await Pin(EnforcementLevel.ProofOfWork, TimeSpan.FromMinutes(10));
        Assert.Equal((EnforcementLevel.ProofOfWork, EnforcementLevel.ProofOfWork, Now(TimeSpan.FromMinutes(10))), (pinned.Level, pinned.PinnedLevel, pinned.PinnedUntil));
        await AssertLastAudit(EnforcementLevel.Allow, EnforcementLevel.ProofOfWork, Admin, "manual review");

        // Neither a blocking nor a lower score moves a pinned client, and a pin at L3 starts no block.
        RiskSnapshot high = await Set(0.95);
        Assert.Equal((EnforcementLevel.ProofOfWork, null), (high.Level, high.BlockedUntil));
        AssertState(await Set(0.0), EnforcementLevel.ProofOfWork, 0.0);

        Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(EnforcementLevel.ProofOfWork, (await Get()).Level);
        Time.Advance(TimeSpan.FromMilliseconds(1));
        RiskSnapshot expired = await Get();
        Assert.Equal((EnforcementLevel.Allow, null, null), (expired.Level, expired.PinnedLevel, expired.PinnedUntil));
        await AssertLastAudit(EnforcementLevel.ProofOfWork, EnforcementLevel.Allow, Admin, "pinned level expired");
    }

    [Fact]
    public async Task PinLevel_WithoutDuration_HoldsUntilCleared()
    {
        RiskSnapshot pinned = await Pin(EnforcementLevel.Degrade, null);
        Assert.Equal((EnforcementLevel.Degrade, EnforcementLevel.Degrade, null), (pinned.Level, pinned.PinnedLevel, pinned.PinnedUntil));
        Time.Advance(TimeSpan.FromDays(3));
        Assert.Equal(EnforcementLevel.Degrade, (await Get()).Level);

        RiskSnapshot cleared = await Pin(null, null, "pin cleared");
        Assert.Equal((EnforcementLevel.Allow, null, null), (cleared.Level, cleared.PinnedLevel, cleared.PinnedUntil));
        await AssertLastAudit(EnforcementLevel.Degrade, EnforcementLevel.Allow, Admin, "pin cleared");
    }

    [Fact]
    public async Task PinLevel_BelowARunningBlock_WinsUntilThePinEnds()
    {
        await Set(0.95);
        DateTimeOffset until = Now(BlockDuration);
        RiskSnapshot pinned = await Pin(EnforcementLevel.Delay, TimeSpan.FromMinutes(10));
        Assert.Equal((EnforcementLevel.Delay, until), (pinned.Level, pinned.BlockedUntil));

        Time.Advance(TimeSpan.FromMinutes(10));
        RiskSnapshot after = await Get();
        Assert.Equal((EnforcementLevel.Block, until, null), (after.Level, after.BlockedUntil, after.PinnedLevel));
    }

    [Fact]
    public async Task PinLevel_Null_ClearsPinAndBlock_AuditedEvenWithoutChange()
    {
        await Set(0.95);
        Time.Advance(HalfLife / 2); // risk 0.672: still blocked
        RiskSnapshot cleared = await Pin(null, null, "block lifted");
        AssertState(cleared, EnforcementLevel.ProofOfWork, 0.95 / Math.Sqrt(2)); // 0.672 is within the band of L3
        Assert.Equal((null, null), (cleared.BlockedUntil, cleared.PinnedLevel));
        await AssertLastAudit(EnforcementLevel.Block, EnforcementLevel.ProofOfWork, Admin, "block lifted");

        await Pin(EnforcementLevel.ProofOfWork, TimeSpan.FromHours(1));
        RiskSnapshot unpinned = await Pin(null, TimeSpan.FromHours(1), "unpinned");
        Assert.Equal((EnforcementLevel.ProofOfWork, null, null), (unpinned.Level, unpinned.PinnedLevel, unpinned.PinnedUntil));
        await AssertLastAudit(EnforcementLevel.ProofOfWork, EnforcementLevel.ProofOfWork, Admin, "unpinned");

        // The lifted block does not come back when its old end passes.
        Time.Advance(BlockDuration);
        Assert.Equal(EnforcementLevel.Delay, (await Get()).Level);
    }

    [Fact]
    public async Task Unblock_BlockedOrPinned_L0RiskZeroAudited()
    {
        await Set(0.95);
        await Pin(EnforcementLevel.Block, null);
        RiskSnapshot s = await Unblock();
        AssertState(s, EnforcementLevel.Allow, 0);
        Assert.Equal((null, null, null), (s.PinnedLevel, s.PinnedUntil, s.BlockedUntil));
        RiskReason why = Assert.Single(s.Reasons, r => r.Source == Admin);
        Assert.Equal((0.0, "false positive", Now()), (why.Score, why.Reason, why.At));
        await AssertLastAudit(EnforcementLevel.Block, EnforcementLevel.Allow, Admin, "false positive", 0);

        Time.Advance(BlockDuration);
        AssertState(await Get(), EnforcementLevel.Allow, 0);
    }

    [Fact]
    public async Task Unblock_LevelUnchanged_StillAuditedWithTheReason()
    {
        await Set(0.1);
        AssertState(await Unblock("checked, nothing to lift"), EnforcementLevel.Allow, 0);
        await AssertLastAudit(EnforcementLevel.Allow, EnforcementLevel.Allow, Admin, "checked, nothing to lift", 0);

        string unknown = SharedRedisFixture.NewId("client");
        await Unblock("never seen", unknown);
        Assert.Equal("never seen", Assert.Single(await Audit(unknown)).Reason);
    }

    [Fact]
    public async Task SetCoverage_ReadBackInEverySnapshot_WithoutCreatingRisk()
    {
        Assert.Null((await Get()).Coverage);
        await Store.SetCoverageAsync(Tenant, Client, 0.42, default);
        RiskSnapshot s = await Get();
        Assert.Equal((0.42, EnforcementLevel.Allow, 0.0), (s.Coverage, s.Level, s.Risk));
        Assert.Empty(s.Reasons);

        Assert.Equal(0.42, (await Set(0.55)).Coverage);
        Assert.Equal(0.42, (await Pin(EnforcementLevel.Block, null)).Coverage);
        await Store.SetCoverageAsync(Tenant, Client, 1, default);
        Assert.Equal(1, (await Unblock()).Coverage);
        Assert.Null((await Get(SharedRedisFixture.NewId("client"))).Coverage);
    }

    [Fact]
    public async Task Reasons_OnePerSource_HighestScoreFirst()
    {
        await Set(0.2, source: "a");
        await Set(0.6, source: "b");
        Time.Advance(TimeSpan.FromMinutes(1));
        await Set(0.4, source: "c");
        Time.Advance(TimeSpan.FromMinutes(1));
        RiskSnapshot s = await Set(0.1, source: "a"); // replaces a's earlier signal

        Assert.Equal(
            [("b", 0.6, "b said 0.6", Now(TimeSpan.FromMinutes(-2))), ("c", 0.4, "c said 0.4", Now(TimeSpan.FromMinutes(-1))), ("a", 0.1, "a said 0.1", Now())],
            s.Reasons.Select(r => (r.Source, r.Score, r.Reason, r.At)));
        Assert.Equal(s.Reasons, (await Get()).Reasons);
    }

    [Fact]
    public async Task ReadAudit_NewestFirst_FilteredByClient_CountHonoured()
    {
        string other = SharedRedisFixture.NewId("client");
        foreach ((string client, string reason) in new[] { (Client, "a1"), (other, "b1"), (Client, "a2"), (other, "b2"), (Client, "a3") })
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Unblock(reason, client);
        }

        Assert.Equal(["a3", "b2", "a2", "b1", "a1"], (await Audit()).Select(e => e.Reason));
        Assert.Equal(["a3", "b2", "a2"], (await Audit(count: 3)).Select(e => e.Reason));
        Assert.Equal([(Client, "a3"), (Client, "a2")], (await Audit(Client, 2)).Select(e => (e.ClientId, e.Reason)));
        Assert.Equal([(other, "b2"), (other, "b1")], (await Audit(other, 10)).Select(e => (e.ClientId, e.Reason)));
        Assert.Equal([Now(), Now(TimeSpan.FromSeconds(-2)), Now(TimeSpan.FromSeconds(-4))], (await Audit(Client)).Select(e => e.At));
        Assert.Empty(await Audit(SharedRedisFixture.NewId("client")));
        Assert.Empty(await Store.ReadAuditAsync(SharedRedisFixture.NewId("tenant"), null, 10, default));
    }

    [Fact]
    public async Task ReadAudit_MoreThanOnePage_NoGapsOrRepeats()
    {
        // Redis reads the stream in pages of 500: the one entry of Client lies behind two of them.
        string other = SharedRedisFixture.NewId("client");
        await Unblock("oldest");
        for (int i = 0; i < 1100; i++)
        {
            await Unblock(i.ToString(), other);
        }

        Assert.Equal("oldest", Assert.Single(await Audit(Client, 10)).Reason);
        Assert.Equal(Enumerable.Range(0, 1100).Reverse().Select(i => i.ToString()), (await Audit(other, 2000)).Select(e => e.Reason));
        Assert.Equal(Enumerable.Range(400, 700).Reverse().Select(i => i.ToString()), (await Audit(count: 700)).Select(e => e.Reason));
    }

    [Fact]
    public async Task Audit_TrimmedToAboutAuditMaxLength()
    {
        const int Max = 10;
        Store = CreateStore(("AuditMaxLength", Max.ToString()));
        for (int i = 0; i < 300; i++)
        {
            await Unblock(i.ToString());
        }

        IReadOnlyList<AuditEntry> kept = await Audit(count: 1000);
        // Memory trims exactly; Redis trims whole stream nodes (MAXLEN ~), keeping at least Max and less than one node (100 entries) more.
        Assert.InRange(kept.Count, Max, Max + 100);
        Assert.Equal(Enumerable.Range(300 - kept.Count, kept.Count).Reverse().Select(i => i.ToString()), kept.Select(e => e.Reason));
    }

    [Fact]
    public async Task Delete_RemovesRiskLevelBlockAndCoverage_KeepsAudit()
    {
        await Set(0.95);
        await Store.SetCoverageAsync(Tenant, Client, 0.5, default);
        await Store.DeleteAsync(Tenant, Client, default);

        RiskSnapshot s = await Get();
        Assert.Equal((0.0, EnforcementLevel.Allow, null, null), (s.Risk, s.Level, s.BlockedUntil, s.Coverage));
        Assert.Empty(s.Reasons);
        Assert.Single(await Audit());
        AssertState(await Set(0.1), EnforcementLevel.Allow, 0.1); // no block left behind
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public async Task InvalidScore_Throws_AndStoresNothing(double score)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Set(score).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SetCoverageAsync(Tenant, Client, score, default).AsTask());
        RiskSnapshot s = await Get();
        Assert.Equal((0.0, null), (s.Risk, s.Coverage));
        Assert.Empty(s.Reasons);
    }
}
