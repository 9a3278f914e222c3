using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Ledger;

namespace GenSafety.Watermarking.Tests.Ledger;

public sealed class LedgerSketchTests
{
    [Fact]
    public void Normalize_FoldsCompatibilityFormsFormatCharactersCaseAndWhitespace()
    {
        Assert.Equal("hello world fi", OutputNormalizer.Normalize("  Ｈｅｌｌｏ\u200b \t\nWorld\uFEFF \uFB01 "));
        Assert.Equal("paypal scope", OutputNormalizer.Normalize("\u0420ay\u0440\u0430l\u00A0\u0455\u0441\u043Ep\u0435"));
        Assert.Equal(OutputNormalizer.Sha256Hex("Hello world"), OutputNormalizer.Sha256Hex("hello\u200d   WORLD\n"));
        Assert.NotEqual(OutputNormalizer.Sha256Hex("hello world"), OutputNormalizer.Sha256Hex("hello word"));
        Assert.Equal(64, OutputNormalizer.Sha256Hex("x").Length);
    }

    [Fact]
    public void Fold_FoldsLookAlikesAndInvisibleCharacters_KeepingCaseAndWhitespace()
    {
        Assert.Equal("  Hello \t\nWorld fi ", OutputNormalizer.Fold("  Ｈｅｌｌｏ\u200b \t\nWorld\uFEFF \uFB01 "));
        Assert.Equal("Paypal scope HNMY", OutputNormalizer.Fold("\u0420ay\u0440\u0430l \u0455\u0441\u043Ep\u0435 \u0397\u039D\u039C\u03A5"));
        const string ascii = "Plain ASCII text, unchanged.";
        Assert.Same(ascii, OutputNormalizer.Fold(ascii));
    }

    [Fact]
    public void MinHash_IdenticalAndNormalisedCopies_Identical()
    {
        var text = ShippedText.HumanDocuments[0];

        Assert.Equal(MinHashSketch.Compute(text), MinHashSketch.Compute(text.ToUpperInvariant() + "\u200b"));
        Assert.Equal(MinHashSketch.Size, MinHashSketch.Compute(text).Length);
    }

    [Fact]
    public void MinHash_NearDuplicate_HighJaccardAndSharedBand()
    {
        var words = ShippedText.HumanDocuments[1].Split(' ');
        var edited = (string[])words.Clone();
        edited[words.Length / 2] = "zebra";

        var a = MinHashSketch.Compute(string.Join(' ', words));
        var b = MinHashSketch.Compute(string.Join(' ', edited));

        // One word changed removes at most 5 of ~190 shingles: Jaccard ≈ 0.95.
        Assert.InRange(MinHashSketch.EstimateJaccard(a, b), 0.8, 1.0);
        Assert.NotEmpty(LshBands.Keys(a).Intersect(LshBands.Keys(b)));
    }

    [Fact]
    public void MinHash_UnrelatedDocuments_LowJaccardAndRarelySharedBands()
    {
        var sketches = ShippedText.HumanDocuments.Take(200).Select(MinHashSketch.Compute).ToArray();
        var bands = sketches.Select(s => LshBands.Keys(s).ToHashSet()).ToArray();
        var pairs = 0;
        var sharing = 0;
        var maxJaccard = 0.0;
        for (var i = 0; i < sketches.Length; i++)
        {
            for (var j = i + 1; j < sketches.Length; j++)
            {
                pairs++;
                sharing += bands[i].Overlaps(bands[j]) ? 1 : 0;
                maxJaccard = Math.Max(maxJaccard, MinHashSketch.EstimateJaccard(sketches[i], sketches[j]));
            }
        }

        Assert.True(maxJaccard < 0.2, $"max Jaccard {maxJaccard}");
        Assert.True(sharing <= pairs / 1000, $"{sharing} of {pairs} unrelated pairs share a band");
    }

    [Fact]
    public void MinHash_ShortAndEmptyTexts()
    {
        Assert.Equal(MinHashSketch.Compute("two words"), MinHashSketch.Compute("Two   WORDS"));
        Assert.NotEqual(MinHashSketch.Compute("two words"), MinHashSketch.Compute("three words"));
        Assert.All(MinHashSketch.Compute("   "), v => Assert.Equal(ulong.MaxValue, v));
    }

    [Fact]
    public void LshBands_KeysAndCurve()
    {
        var keys = LshBands.Keys(MinHashSketch.Compute("a b c d e f g"));

        Assert.Equal(LshBands.Bands, keys.Length);
        Assert.Equal(LshBands.Bands, keys.Distinct().Count());
        Assert.StartsWith("00:", keys[0], StringComparison.Ordinal);
        Assert.InRange(LshBands.CandidateProbability(0.38), 0.45, 0.55);
        Assert.True(LshBands.CandidateProbability(0.6) > 0.98);
        Assert.True(LshBands.CandidateProbability(0.2) < 0.06);
        Assert.Throws<ArgumentException>(() => LshBands.Keys(new ulong[3]));
        var sketch = MinHashSketch.Compute("a b c d e f g");
        Assert.Equal(keys, LshBands.Keys(sketch, LshBands.Bands, LshBands.Rows));
        Assert.Equal(16, LshBands.Keys(sketch, 16, 3).Length);
        Assert.Equal(LshBands.CandidateProbability(0.5), LshBands.CandidateProbability(0.5, LshBands.Bands, LshBands.Rows));
        Assert.Throws<ArgumentOutOfRangeException>(() => LshBands.Keys(sketch, 33, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => LshBands.Keys(sketch, 0, 4));
    }
}
