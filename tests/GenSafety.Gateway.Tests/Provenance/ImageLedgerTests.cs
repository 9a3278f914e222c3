using GenSafety.Detectors.Images;
using GenSafety.Gateway.Provenance;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Watermarking.Ledger;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// Image records in both ledgers: found by id, by exact hash and by a PDQ hash a few bits away (through the PDQ bands),
/// kept apart from the text bands, and gone after the retention.
/// </summary>
public sealed class ImageLedgerTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>
{
    private static readonly PdqHash Hash = new(0x0123456789abcdefUL, 0xfedcba9876543210UL, 0x0f1e2d3c4b5a6978UL, 0x8796a5b4c3d2e1f0UL);

    private static ProvenanceRecord Image(string id, PdqHash hash, DateTimeOffset at)
        => new(id, "t", "image-qim", "kid.1", "req", "m", at, new string('a', 63) + id[^1], [], hash);

    // Flips one bit in each of the first n bands: every band but the last 16 − n differs, so only those can match.
    private static PdqHash FlipBands(PdqHash hash, int bands)
    {
        ulong[] words = [hash.W0, hash.W1, hash.W2, hash.W3];
        for (var band = 0; band < bands; band++)
        {
            words[band >> 2] ^= 1UL << (16 * (band & 3));
        }

        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    public static TheoryData<string> Backends => ["redis", "memory"];

    private IProvenanceLedger Ledger(string backend, TimeProvider time)
    {
        var options = Options.Create(new ProvenanceOptions { LedgerRetention = TimeSpan.FromHours(1) });
        return backend == "redis"
            ? new RedisProvenanceLedger(redis.Connection, Options.Create(new StateStoreOptions { KeyPrefix = SharedRedisFixture.NewKeyPrefix() }), options)
            : new InMemoryProvenanceLedger(options, time);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Find_ByIdHashAndNearPdq_NotByTextBands_OrFarPdq(string backend)
    {
        var ledger = Ledger(backend, TimeProvider.System);
        var record = Image("img_0000000000000001", Hash, DateTimeOffset.UtcNow);
        var text = new ProvenanceRecord("rec_1", "t", "none", string.Empty, "req", "m", DateTimeOffset.UtcNow, new string('b', 64), MinHashSketch.Compute("some words of a text that the ledger holds too"));
        await ledger.RecordAsync([record, text], default);

        var byId = await ledger.FindByIdAsync(record.RecordId, default);
        Assert.NotNull(byId);
        Assert.Equal(Hash, byId.ImageHash);
        Assert.Empty(byId.Sketch);
        Assert.True(byId.IsImage);
        Assert.False((await ledger.FindByIdAsync("rec_1", default))!.IsImage);
        Assert.Null(await ledger.FindByIdAsync("img_ffffffffffffffff", default));
        Assert.Equal(record.RecordId, (await ledger.FindByHashAsync(record.OutputSha256, default)).Single().RecordId);
        Assert.Equal(record.RecordId, (await ledger.FindByImageBandsAsync(ImageLedgerBands.Keys(FlipBands(Hash, 15)), default)).Single().RecordId);
        Assert.Empty(await ledger.FindByImageBandsAsync(ImageLedgerBands.Keys(FlipBands(Hash, 16)), default));
        Assert.DoesNotContain(await ledger.FindByBandsAsync(LedgerBands.Keys(text.Sketch), default), r => r.IsImage);
    }

    [Fact]
    public async Task Find_AfterRetention_Gone()
    {
        var time = new TestTimeProvider(DateTimeOffset.UtcNow);
        var ledger = Ledger("memory", time);
        await ledger.RecordAsync([Image("img_0000000000000002", Hash, time.GetUtcNow())], default);

        time.Advance(TimeSpan.FromHours(2));

        Assert.Null(await ledger.FindByIdAsync("img_0000000000000002", default));
        Assert.Empty(await ledger.FindByImageBandsAsync(ImageLedgerBands.Keys(Hash), default));
    }

    [Fact]
    public void Bands_SixteenOfSixteenBits_RecallAsDocumented()
    {
        var keys = ImageLedgerBands.Keys(Hash);

        Assert.Equal(16, keys.Length);
        Assert.Equal((PdqHash.Bits, 0), (ImageLedgerBands.Count * ImageLedgerBands.Bits, 64 % ImageLedgerBands.Bits));
        Assert.Equal(16, keys.Distinct().Count());
        Assert.Equal("0:cdef", keys[0]);
        Assert.Equal("15:8796", keys[15]);
        Assert.Equal(1, ImageLedgerBands.CandidateProbability(15), 12);
        Assert.Equal(0.9994, ImageLedgerBands.CandidateProbability(20), 4);
        Assert.Equal(0.9126, ImageLedgerBands.CandidateProbability(31), 4);
        Assert.InRange(ImageLedgerBands.CandidateProbability(128), 0, 3e-4);
    }
}
