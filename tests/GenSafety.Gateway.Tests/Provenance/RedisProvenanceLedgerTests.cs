using GenSafety.Gateway.Provenance;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Watermarking.Ledger;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>The Redis ledger on real Redis: one write script per batch, indexes bounded to the newest entries, every key with the retention TTL.</summary>
public sealed class RedisProvenanceLedgerTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>
{
    private const string Text = "Hello! How can I help you today? I am happy to answer any question you have.";

    private RedisProvenanceLedger Ledger(string prefix, int trimOneIn)
        => new(redis.Connection, Options.Create(new StateStoreOptions { KeyPrefix = prefix }),
            Options.Create(new ProvenanceOptions { LedgerRetention = TimeSpan.FromHours(2) }), trimOneIn);

    private static ProvenanceRecord[] Records(int count, DateTimeOffset start, ulong[] sketch)
        => [.. Enumerable.Range(0, count).Select(i => new ProvenanceRecord(
            $"rec_{i:D3}", "t", "none", string.Empty, "req", "m", start.AddMilliseconds(i), OutputNormalizer.Sha256Hex(Text), sketch))];

    [Fact]
    public async Task Record_PopularOutputInBatches_IndexKeepsNewest_AllKeysExpire()
    {
        var prefix = SharedRedisFixture.NewKeyPrefix();
        var ledger = Ledger(prefix, trimOneIn: 1);
        var sketch = MinHashSketch.Compute(Text);
        var bands = LedgerBands.Keys(sketch);
        var records = Records(70, DateTimeOffset.UtcNow, sketch);
        foreach (var batch in records.Chunk(16))
        {
            await ledger.RecordAsync(batch, default);
        }

        var found = await ledger.FindByHashAsync(OutputNormalizer.Sha256Hex(Text), default);
        var db = redis.Connection.GetDatabase();
        var hashIndex = $"{prefix}:prov:hash:{OutputNormalizer.Sha256Hex(Text)}";

        Assert.Equal(Enumerable.Range(50, 20).Reverse().Select(i => $"rec_{i:D3}"), found.Select(r => r.RecordId));
        Assert.Equal(sketch, found[0].Sketch);
        Assert.Equal(LedgerBands.Count, bands.Length);
        Assert.Equal(ProvenanceRedisKeys.MaxIndexEntries, await db.SortedSetLengthAsync(hashIndex));
        Assert.Equal(ProvenanceRedisKeys.MaxIndexEntries, await db.SortedSetLengthAsync($"{prefix}:prov:band:{bands[0]}"));
        foreach (var key in new[] { hashIndex, $"{prefix}:prov:band:{bands[^1]}", $"{prefix}:prov:rec:rec_069", $"{prefix}:prov:rec:rec_000" })
        {
            Assert.InRange((await db.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(119), TimeSpan.FromHours(2));
        }
    }

    [Fact]
    public async Task Record_WithoutTrimDraw_IndexGrowsPastBound_UntilARecordTrims()
    {
        var prefix = SharedRedisFixture.NewKeyPrefix();
        var sketch = MinHashSketch.Compute(Text);
        var records = Records(ProvenanceRedisKeys.MaxIndexEntries + 10, DateTimeOffset.UtcNow, sketch);
        var db = redis.Connection.GetDatabase();
        var hashIndex = $"{prefix}:prov:hash:{OutputNormalizer.Sha256Hex(Text)}";

        await Ledger(prefix, trimOneIn: 0).RecordAsync(records[..^1], default);
        var grown = await db.SortedSetLengthAsync(hashIndex);
        await Ledger(prefix, trimOneIn: 1).RecordAsync(records[^1..], default);

        Assert.Equal(records.Length - 1, grown);
        Assert.Equal(ProvenanceRedisKeys.MaxIndexEntries, await db.SortedSetLengthAsync(hashIndex));
        Assert.Equal($"rec_{records.Length - 1:D3}", (await db.SortedSetRangeByRankAsync(hashIndex, -1, -1)).Single().ToString());
    }
}
