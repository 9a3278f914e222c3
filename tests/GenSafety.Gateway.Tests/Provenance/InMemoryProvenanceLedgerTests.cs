using GenSafety.Gateway.Provenance;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Ledger;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>The demo-mode ledger: exact and near-duplicate lookups, and records leaving with their index entries after the retention.</summary>
public sealed class InMemoryProvenanceLedgerTests
{
    private static ProvenanceRecord Record(string id, string text, DateTimeOffset at)
        => new(id, "t", "lexical", "kid.1", "req", "m", at, OutputNormalizer.Sha256Hex(text), MinHashSketch.Compute(text));

    [Fact]
    public async Task Find_ExactAndNearDuplicate_ThenExpired_Gone()
    {
        var time = new TestTimeProvider(DateTimeOffset.UtcNow);
        var ledger = new InMemoryProvenanceLedger(Options.Create(new ProvenanceOptions { LedgerRetention = TimeSpan.FromHours(1) }), time);
        var text = ShippedText.HumanDocuments[0];
        var other = ShippedText.HumanDocuments[1];
        var first = Record("rec_a", text, time.GetUtcNow());
        await ledger.RecordAsync([first], default);
        var words = text.Split(' ');
        words[words.Length / 2] = "zebra";
        var edited = MinHashSketch.Compute(string.Join(' ', words));

        Assert.Equal("rec_a", (await ledger.FindByHashAsync(first.OutputSha256, default)).Single().RecordId);
        Assert.Contains(await ledger.FindByBandsAsync(LedgerBands.Keys(edited), default), r => r.RecordId == "rec_a");
        Assert.Empty(await ledger.FindByHashAsync(OutputNormalizer.Sha256Hex(other), default));

        time.Advance(TimeSpan.FromHours(2));
        var second = Record("rec_b", other, time.GetUtcNow());
        await ledger.RecordAsync([second], default);

        Assert.Empty(await ledger.FindByHashAsync(first.OutputSha256, default));
        Assert.DoesNotContain(await ledger.FindByBandsAsync(LedgerBands.Keys(edited), default), r => r.RecordId == "rec_a");
        Assert.Equal("rec_b", (await ledger.FindByHashAsync(second.OutputSha256, default)).Single().RecordId);
    }
}
