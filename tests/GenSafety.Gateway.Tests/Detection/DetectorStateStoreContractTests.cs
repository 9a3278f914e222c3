using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.State;
using GenSafety.Gateway.Tests.Infrastructure;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>Behaviour every <see cref="IDetectorStateStore"/> must have, run against Redis and memory.</summary>
public abstract class DetectorStateStoreContractTests
{
    protected string Tenant { get; } = SharedRedisFixture.NewId("tenant");

    protected abstract IDetectorStateStore Store { get; }

    protected DetectorStateKey Key(string detector = "api-surface", DetectorStateMode mode = DetectorStateMode.Replace, string client = "c1")
        => new(Tenant, client, detector, mode);

    [Fact]
    public async Task Read_Missing_IsEmpty()
    {
        var entries = await Store.ReadAsync([Key(), Key("b4b-coverage", DetectorStateMode.BitwiseOr)], default);

        Assert.All(entries, e => Assert.Equal((false, 0u, 0), (e.Exists, e.Version, e.Data.Length)));
    }

    [Fact]
    public async Task Delete_RemovesTheNamedStatesOnly()
    {
        var replace = Key();
        var bitmap = Key("b4b-coverage", DetectorStateMode.BitwiseOr);
        var other = Key(client: "c2");
        await Store.WriteAsync([new DetectorStateWrite(replace, DetectorStateEntry.Missing, [1]), new DetectorStateWrite(other, DetectorStateEntry.Missing, [2])], default);
        await Store.WriteAsync([new DetectorStateWrite(bitmap, DetectorStateEntry.Missing, [0x80, 0, 0, 0, 0, 0, 0, 0]) { RegionBytes = 8, Regions = 1 }], default);

        await Store.DeleteAsync([replace, bitmap, Key("never-written")], default);
        var after = await Store.ReadAsync([replace, bitmap, other], default);

        Assert.Equal([false, false, true], after.Select(e => e.Exists));
    }

    [Fact]
    public async Task Replace_FromWhatWasRead_WritesAndBumpsTheVersion()
    {
        var key = Key();
        var first = (await Store.ReadAsync([key], default))[0];
        Assert.Empty((await Store.WriteAsync([new DetectorStateWrite(key, first, [1, 2, 3])], default)).Conflicts);

        var second = (await Store.ReadAsync([key], default))[0];
        Assert.Empty((await Store.WriteAsync([new DetectorStateWrite(key, second, [4, 5])], default)).Conflicts);
        var third = (await Store.ReadAsync([key], default))[0];

        Assert.Equal((true, 1u), (second.Exists, second.Version));
        Assert.Equal(new byte[] { 1, 2, 3 }, second.Data);
        Assert.Equal((true, 2u), (third.Exists, third.Version));
        Assert.Equal(new byte[] { 4, 5 }, third.Data);
    }

    [Fact]
    public async Task Replace_AfterAnotherWriter_ConflictsAndKeepsTheOtherWrite()
    {
        var key = Key();
        var other = Key(client: "c2");
        var read = (await Store.ReadAsync([key], default))[0];
        await Store.WriteAsync([new DetectorStateWrite(key, read, [9])], default);
        var otherRead = (await Store.ReadAsync([other], default))[0];

        // Index 1 wrote from a stale read (the state was created since); index 0 is fine.
        var conflicts = (await Store.WriteAsync([new DetectorStateWrite(other, otherRead, [7]), new DetectorStateWrite(key, read, [1])], default)).Conflicts;
        var after = await Store.ReadAsync([key, other], default);

        Assert.Equal([1], conflicts);
        Assert.Equal(new byte[] { 9 }, after[0].Data);
        Assert.Equal(new byte[] { 7 }, after[1].Data);
    }

    [Fact]
    public async Task BitwiseOr_MergesConcurrentWriters_GrowsAndCountsPerRegion()
    {
        var key = Key("b4b-coverage", DetectorStateMode.BitwiseOr);

        // Two replicas add bits without reading; neither loses any, and each learns the merged counts.
        var first = await Store.WriteAsync([Bits(key, [0b1000_0001, 0])], default);
        var second = await Store.WriteAsync([Bits(key, [0b1100_0000, 0, 0b0000_0001, 0xFF])], default);
        var merged = (await Store.ReadAsync([key], default))[0];

        Assert.Equal(new long[] { 2, 0 }, first.SetBits[0]);
        Assert.Equal(new long[] { 3, 9 }, second.SetBits[0]);
        Assert.Equal(new byte[] { 0b1100_0001, 0, 0b0000_0001, 0xFF }, merged.Data);
        Assert.Empty(second.Conflicts);
    }

    [Fact]
    public async Task BitwiseOr_EmptyWrite_OnlyCounts()
    {
        var key = Key("b4b-coverage", DetectorStateMode.BitwiseOr);
        await Store.WriteAsync([Bits(key, [0xF0])], default);

        var counted = await Store.WriteAsync([Bits(key, []), Bits(Key("b4b-coverage", DetectorStateMode.BitwiseOr, "c2"), [])], default);

        Assert.Equal(new long[] { 4, 0 }, counted.SetBits[0]);
        Assert.Equal(new long[] { 0, 0 }, counted.SetBits[1]);
        Assert.False((await Store.ReadAsync([Key("b4b-coverage", DetectorStateMode.BitwiseOr, "c2")], default))[0].Exists);
    }

    [Fact]
    public async Task BitwiseOr_ManyBits_MergeLikeFewBits()
    {
        // Over 2048 bits the Redis store sends the whole bitmap (BITOP OR) instead of one SETBIT per bit.
        var key = Key("b4b-coverage", DetectorStateMode.BitwiseOr);
        var many = Enumerable.Repeat((byte)0b1010_1010, 600).ToArray();
        await Store.WriteAsync([Bits(key, [0b0000_0001])], default);

        var result = await Store.WriteAsync([Bits(key, many)], default);

        Assert.Equal(new long[] { 5 + 4, 4 + 4 }, result.SetBits[0]);
        Assert.Equal(0b1010_1011, (await Store.ReadAsync([key], default))[0].Data[0]);
    }

    // A bitmap write counted in two regions of 2 bytes.
    protected static DetectorStateWrite Bits(DetectorStateKey key, byte[] bits)
        => new(key, DetectorStateEntry.Missing, bits) { RegionBytes = 2, Regions = 2 };
}

[Collection(SharedRedisDefinition.Name)]
public sealed class RedisDetectorStateStoreTests(SharedRedisFixture redis) : DetectorStateStoreContractTests
{
    private readonly string _prefix = SharedRedisFixture.NewKeyPrefix();

    protected override IDetectorStateStore Store => new RedisDetectorStateStore(
        redis.Connection,
        Microsoft.Extensions.Options.Options.Create(new GenSafety.Gateway.State.StateStoreOptions { KeyPrefix = _prefix }),
        Microsoft.Extensions.Options.Options.Create(new DetectionOptions { StateTtl = TimeSpan.FromHours(2) }));

    [Fact]
    public async Task Keys_FollowTheLayout_ExpireAfterStateTtl_AndScratchKeysAreGone()
    {
        var db = redis.Connection.GetDatabase();
        await Store.WriteAsync([new DetectorStateWrite(Key(), DetectorStateEntry.Missing, [1, 2]), Bits(Key("b4b-coverage", DetectorStateMode.BitwiseOr), [0x80])], default);

        var replace = $"{_prefix}:{Tenant}:det:c1:api-surface";
        var bitmap = $"{_prefix}:{Tenant}:det:c1:b4b-coverage";
        Assert.Equal(new byte[] { 1, 0, 0, 0, 1, 2 }, (byte[])(await db.StringGetAsync(replace))!);
        Assert.True(await db.StringGetBitAsync(bitmap, 0));
        Assert.InRange((await db.KeyTimeToLiveAsync(replace))!.Value, TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(2));
        Assert.InRange((await db.KeyTimeToLiveAsync(bitmap))!.Value, TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(2));
        Assert.False(await db.KeyExistsAsync(bitmap + ":or"));
    }
}

public sealed class InMemoryDetectorStateStoreTests : DetectorStateStoreContractTests
{
    private readonly InMemoryDetectorStateStore _store;

    public InMemoryDetectorStateStoreTests()
        => _store = new InMemoryDetectorStateStore(Microsoft.Extensions.Options.Options.Create(new DetectionOptions { StateTtl = TimeSpan.FromHours(2) }), Time);

    private TestTimeProvider Time { get; } = new();

    protected override IDetectorStateStore Store => _store;

    [Fact]
    public async Task State_ExpiresAfterStateTtlWithoutWrites()
    {
        await Store.WriteAsync([new DetectorStateWrite(Key(), DetectorStateEntry.Missing, [1])], default);
        Time.Advance(TimeSpan.FromHours(1));
        var kept = (await Store.ReadAsync([Key()], default))[0];
        Time.Advance(TimeSpan.FromHours(2));
        var expired = (await Store.ReadAsync([Key()], default))[0];

        Assert.True(kept.Exists);
        Assert.False(expired.Exists);
        Assert.Empty((await Store.WriteAsync([new DetectorStateWrite(Key(), expired, [2])], default)).Conflicts);
    }
}
