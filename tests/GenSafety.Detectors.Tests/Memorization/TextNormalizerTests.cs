using GenSafety.Detectors.Memorization;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Tests.Memorization;

public sealed class TextNormalizerTests
{
    private static readonly TextNormalizerOptions Defaults = new();

    [Theory]
    [InlineData("The  Quick\t\nBrown   FOX", "the quick brown fox")]
    [InlineData("  leading and trailing  ", "leading and trailing")]
    [InlineData("zero\u200Bwidth\u200C\u200Djoin\uFEFFers\u2060and\u00ADsoft", "zerowidthjoinersandsoft")]
    [InlineData("\uFF34\uFF48\uFF45 \uFF46\uFF55\uFF4C\uFF4C\uFF57\uFF49\uFF44\uFF54\uFF48", "the fullwidth")]
    [InlineData("\u0440\u0430\u0440\u0435\u0433", "pape\u0433")]
    [InlineData("\u0412\u041E\u041E\u041A \u0391\u039D\u0394", "book an\u03B4")]
    [InlineData("caf\u00E9 cafe\u0301 na\u00EFve", "cafe cafe naive")]
    [InlineData("Stra\u00DFe STRASSE", "strasse strasse")]
    [InlineData("\u201CHello,\u201D she said \u2014 \"hello!\"", "hello she said hello")]
    [InlineData("\uFB01ne \u2460 \U0001D400", "fine 1 a")]
    public void Normalize_FoldsStyle(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input, Defaults).Text);
    }

    [Fact]
    public void Normalize_AllCapsAndHomoglyphVariants_EqualTheOriginal()
    {
        var original = ProseCorpus.Document(3, 400);
        var expected = TextNormalizer.Normalize(original, Defaults).Text;

        Assert.Equal(expected, TextNormalizer.Normalize(original.ToUpperInvariant(), Defaults).Text);
        Assert.Equal(expected, TextNormalizer.Normalize(original.Replace("a", "\u0430").Replace("o", "\u03BF").Replace("e", "\u0435"), Defaults).Text);
        Assert.Equal(expected, TextNormalizer.Normalize(original.Replace(" ", "  \u200B"), Defaults).Text);
        Assert.Equal(expected, TextNormalizer.Normalize(original.ToUpperInvariant().Replace("O", "\u041E").Replace("P", "\u0420"), Defaults).Text);
    }

    [Fact]
    public void Normalize_MapsEveryCharacterBackToItsSource()
    {
        const string Input = "  A\u200Bb\u0301  \uFF23 \u00DF!";
        var normalized = TextNormalizer.Normalize(Input, Defaults);

        Assert.Equal("ab c ss", normalized.Text);
        Assert.Equal([2, 4, 6, 8, 9, 10, 10, Input.Length], Enumerable.Range(0, normalized.Text.Length + 1).Select(normalized.SourceStart));
    }

    [Fact]
    public void Normalize_WithoutPunctuationRemoval_KeepsPunctuation()
    {
        var options = new TextNormalizerOptions { RemovePunctuation = false, StripDiacritics = false };
        Assert.Equal("a, b! caf\u0065\u0301", TextNormalizer.Normalize("A,  B! Caf\u00E9", options).Text);
    }

    [Fact]
    public void Normalize_CanonicalizedIdentifiers_RenamedCodeMatches()
    {
        var options = new TextNormalizerOptions { CanonicalizeIdentifiers = true };
        const string Original = "float Q_rsqrt(float number) { long i; float x2, y; const float threehalfs = 1.5F; x2 = number * 0.5F; return y; }";
        const string Renamed = "float racine(float nombre) { long i; float x2, y; const float trois_moitie = 1.5F; x2 = nombre * 0.5F; return y; }";

        var a = TextNormalizer.Normalize(Original, options).Text;
        Assert.Equal(a, TextNormalizer.Normalize(Renamed, options).Text);
        Assert.Equal("float vfloat v long v float v v const float v = 15f v = v 05f return v", a);
        Assert.NotEqual(TextNormalizer.Normalize(Original, Defaults).Text, TextNormalizer.Normalize(Renamed, Defaults).Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void IncrementalNormalizer_AnySplit_EqualsOneShot(bool identifiers)
    {
        var options = new TextNormalizerOptions { CanonicalizeIdentifiers = identifiers };
        var input = string.Concat(Enumerable.Repeat("Ca\u0301fe\u0301  \u0420\u0430\u0440\u0435\u0433 x_1 = foo(\uD83D\uDE00 bar) \u200B\u00DF\n", 20));
        var expected = TextNormalizer.Normalize(input, options);
        var random = new DeterministicRandom(9);
        for (var trial = 0; trial < 50; trial++)
        {
            var stream = new IncrementalNormalizer(options);
            var text = new System.Text.StringBuilder();
            var offsets = new List<long>();
            for (var at = 0; at < input.Length;)
            {
                var length = Math.Min(input.Length - at, 1 + random.NextInt(7));
                stream.Append(input.AsSpan(at, length));
                at += length;
                Assert.True(stream.PendingFrom <= at);
                text.Append(stream.Output);
                offsets.AddRange(stream.OutputOffsets.ToArray());
                stream.ClearOutput();
            }

            stream.Complete();
            text.Append(stream.Output);
            offsets.AddRange(stream.OutputOffsets.ToArray());
            Assert.Equal(expected.Text, text.ToString());
            Assert.Equal(Enumerable.Range(0, expected.Text.Length).Select(i => (long)expected.SourceStart(i)), offsets);
        }
    }

    [Fact]
    public void Normalize_LoneSurrogates_AreDroppedNotThrown()
    {
        Assert.Equal("ab", TextNormalizer.Normalize("a\uD800b\uDC00", Defaults).Text);
    }

    [Fact]
    public void Fingerprint_DiffersPerOption()
    {
        var all = new[]
        {
            new TextNormalizerOptions(), new TextNormalizerOptions { RemovePunctuation = false }, new TextNormalizerOptions { StripDiacritics = false },
            new TextNormalizerOptions { FoldHomoglyphs = false }, new TextNormalizerOptions { CanonicalizeIdentifiers = true },
        };
        Assert.Equal(all.Length, all.Select(o => o.Fingerprint).Distinct().Count());
    }

    [Fact]
    public void Confusables_FoldOnlyToLatinLetters()
    {
        Assert.Equal(71, Confusables.Count);
        Assert.Equal('p', Confusables.Fold('\u0420'));
        Assert.Equal('\0', Confusables.Fold('b'));
        Assert.Equal('\0', Confusables.Fold('\u0432'));
    }
}
