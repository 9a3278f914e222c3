using GenSafety.Gateway.Enforcement.Levels;

namespace GenSafety.Gateway.Tests.Enforcement.Levels;

public sealed class InMemoryRiskStoreContractTests : RiskStoreContractTests
{
    protected override Type ExpectedStoreType => typeof(InMemoryRiskStore);

    protected override Dictionary<string, string?> BackendSettings() => [];

    private long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    [Fact]
    public async Task Evaluate_AgreesWithGetAsync_AsRiskDecaysThroughEveryLevel()
    {
        // Two stores fed the same signals: one read only by admission (Evaluate), the other only by the admin API (GetAsync).
        var admission = (InMemoryRiskStore)CreateStore();
        Assert.Equal((EnforcementLevel.Allow, 0.0, 0L, (double?)null), admission.Evaluate(Tenant, Client, NowMs));
        foreach (IRiskStore store in new[] { Store, admission })
        {
            await store.SetRiskAsync(Tenant, Client, new RiskUpdate(0.95, Detector, "burst", Detector), default);
            await store.SetCoverageAsync(Tenant, Client, 0.3, default);
        }

        var levels = new List<EnforcementLevel>();
        for (int step = 0; step < 16; step++)
        {
            RiskSnapshot snapshot = await Get();
            (EnforcementLevel level, double risk, long blockedUntilMs, double? coverage) = admission.Evaluate(Tenant, Client, NowMs);
            long activeBlock = blockedUntilMs > NowMs ? blockedUntilMs : 0; // Evaluate leaves an ended block's time in place
            Assert.Equal((snapshot.Level, snapshot.Risk, snapshot.BlockedUntil?.ToUnixTimeMilliseconds() ?? 0, snapshot.Coverage), (level, risk, activeBlock, coverage));
            levels.Add(level);
            Time.Advance(TimeSpan.FromMinutes(15));
        }

        Assert.Equal([EnforcementLevel.Block, EnforcementLevel.Degrade, EnforcementLevel.Delay, EnforcementLevel.Allow], levels.Distinct());
        Assert.Equal(
            (await Audit()).Select(e => (e.From, e.To, e.Actor, e.Reason, e.At)),
            (await Audit(store: admission)).Select(e => (e.From, e.To, e.Actor, e.Reason, e.At)));
    }

    [Fact]
    public async Task Mirror_PinsTheSharedLevelLocallyUntilForget()
    {
        var store = (InMemoryRiskStore)Store;
        Assert.False(store.Forget(Tenant, Client));

        store.Mirror(Tenant, Client, EnforcementLevel.ProofOfWork, 0.8, TimeSpan.Zero, 0.4, NowMs);
        RiskSnapshot mirrored = await Get();
        AssertState(mirrored, EnforcementLevel.ProofOfWork, 0.8);
        Assert.Equal((EnforcementLevel.ProofOfWork, null, null, 0.4), (mirrored.PinnedLevel, mirrored.PinnedUntil, mirrored.BlockedUntil, mirrored.Coverage));

        // The level holds however far the mirrored risk decays, until the shared store says otherwise.
        Time.Advance(TimeSpan.FromHours(5));
        AssertState(await Get(), EnforcementLevel.ProofOfWork, 0.025);

        store.Mirror(Tenant, Client, EnforcementLevel.Block, 0.95, TimeSpan.FromMinutes(10), null, NowMs);
        RiskSnapshot blocked = await Get();
        Assert.Equal((EnforcementLevel.Block, Now(TimeSpan.FromMinutes(10)), null), (blocked.Level, blocked.BlockedUntil, blocked.Coverage));
        Assert.Equal((EnforcementLevel.Block, 0.95, NowMs + 600_000, (double?)null), store.Evaluate(Tenant, Client, NowMs));

        Assert.False(store.Forget(Tenant, "someone-else"));
        Assert.True(store.Forget(Tenant, Client));
        Assert.False(store.Forget(Tenant, Client));
        Assert.Equal((EnforcementLevel.Allow, 0.0, 0L, (double?)null), store.Evaluate(Tenant, Client, NowMs));
        RiskSnapshot forgotten = await Get();
        Assert.Equal((EnforcementLevel.Allow, null), (forgotten.Level, forgotten.PinnedLevel));
    }
}
