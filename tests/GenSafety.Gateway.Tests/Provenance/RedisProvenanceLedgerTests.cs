using GenSafety.Gateway.Provenance;
using GenSafety.Gateway.State;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Watermarking.Ledger;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>The Redis ledger on real Redis: one write script, indexes bounded to the newest entries, every key with the retention TTL.</summary>
public sealed class RedisProvenanceLedgerTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>
{
    [Fact]
    public async Task Record_PopularOutput_IndexKeepsNewest_AllKeysExpire()
    {
        var prefix = SharedRedisFixture.NewKeyPrefix();
        var ledger = new RedisProvenanceLedger(redis.Connection, Options.Create(new StateStoreOptions { KeyPrefix = prefix }),
            Options.Create(new ProvenanceOptions { LedgerRetention = TimeSpan.FromHours(2) }));
        const string text = "Hello! How can I help you today? I am happy to answer any question you have.";
        var sketch = MinHashSketch.Compute(text);
        var bands = LshBands.Keys(sketch);
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 70; i++)
        {
            var record = new ProvenanceRecord($"rec_{i:D3}", "t", "none", string.Empty, "req", "m", start.AddMilliseconds(i), OutputNormalizer.Sha256Hex(text), sketch);
            await ledger.RecordAsync(record, bands, default);
        }

        var found = await ledger.FindByHashAsync(OutputNormalizer.Sha256Hex(text), default);
        var db = redis.Connection.GetDatabase();
        var hashIndex = $"{prefix}:prov:hash:{OutputNormalizer.Sha256Hex(text)}";

        Assert.Equal(Enumerable.Range(50, 20).Reverse().Select(i => $"rec_{i:D3}"), found.Select(r => r.RecordId));
        Assert.Equal(sketch, found[0].Sketch);
        Assert.Equal(ProvenanceRedisKeys.MaxIndexEntries, await db.SortedSetLengthAsync(hashIndex));
        Assert.Equal(ProvenanceRedisKeys.MaxIndexEntries, await db.SortedSetLengthAsync($"{prefix}:prov:band:{bands[0]}"));
        foreach (var key in new[] { hashIndex, $"{prefix}:prov:band:{bands[31]}", $"{prefix}:prov:rec:rec_069" })
        {
            Assert.InRange((await db.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromMinutes(119), TimeSpan.FromHours(2));
        }
    }
}
