using GenSafety.Gateway.Provenance;
using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Ledger;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// The ledger's 16 × 3 bands against the library's default 32 × 4 on shipped human documents: the same recall for
/// pairs at or above the near-duplicate threshold, half the keys, and unrelated documents still rarely candidates.
/// </summary>
public sealed class LedgerBandsTests
{
    private static readonly string[] Documents = [.. ShippedText.HumanDocuments.Take(200)];

    // Every n-th word replaced: n = 16…24 puts the 5-gram Jaccard around 0.5–0.65, where recall matters.
    private static string Edited(string text, int every)
        => string.Join(' ', text.Split(' ').Select((w, i) => i % every == every / 2 ? "zebra" + i : w));

    private static bool Share(string[] a, string[] b) => a.Intersect(b).Any();

    [Fact]
    public void Keys_HalfTheDefault_CurveAtThreshold()
    {
        var sketch = MinHashSketch.Compute(Documents[0]);

        Assert.Equal(16, LedgerBands.Keys(sketch).Distinct().Count());
        Assert.Equal(LshBands.Bands / 2, LedgerBands.Count);
        Assert.InRange(LedgerBands.CandidateProbability(0.5), 0.87, 0.9);
        Assert.True(LedgerBands.CandidateProbability(0.6) > 0.97);
        Assert.True(LedgerBands.CandidateProbability(0.5) >= LshBands.CandidateProbability(0.5));
    }

    [Fact]
    public void NearDuplicatesAtOrAboveThreshold_RecallAsTheDefaultBands()
    {
        var pairs = 0;
        var ledger = 0;
        var library = 0;
        foreach (var (document, i) in Documents.Select((d, i) => (d, i)))
        {
            var a = MinHashSketch.Compute(document);
            var b = MinHashSketch.Compute(Edited(document, 16 + (i % 9)));
            if (MinHashSketch.EstimateJaccard(a, b) < 0.5)
            {
                continue;
            }

            pairs++;
            ledger += Share(LedgerBands.Keys(a), LedgerBands.Keys(b)) ? 1 : 0;
            library += Share(LshBands.Keys(a), LshBands.Keys(b)) ? 1 : 0;
        }

        Assert.True(pairs >= 50, $"only {pairs} pairs at J ≥ 0.5");
        Assert.True(ledger >= 0.85 * pairs, $"16×3: {ledger} of {pairs} pairs at J ≥ 0.5 share a band");
        Assert.True(ledger >= library - (pairs / 20), $"16×3: {ledger}, 32×4: {library} of {pairs}");
    }

    [Fact]
    public void LightEdits_AlwaysShareABand_UnrelatedRarely()
    {
        var bands = Documents.Select(d => LedgerBands.Keys(MinHashSketch.Compute(d))).ToArray();
        var pairs = 0;
        var sharing = 0;
        for (var i = 0; i < bands.Length; i++)
        {
            Assert.True(Share(bands[i], LedgerBands.Keys(MinHashSketch.Compute(Edited(Documents[i], 60)))), Documents[i]);
            for (var j = i + 1; j < bands.Length; j++)
            {
                pairs++;
                sharing += Share(bands[i], bands[j]) ? 1 : 0;
            }
        }

        Assert.True(sharing <= pairs / 1000, $"{sharing} of {pairs} unrelated pairs share a band");
    }
}
