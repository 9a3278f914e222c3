using GenSafety.Detectors.Memorization;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace GenSafety.Detectors.Tests.Memorization;

public sealed class ProtectedTextIndexTests(ITestOutputHelper output)
{
    internal static ProtectedTextIndex Build(int documents, int chars, ProtectedTextIndexOptions? options = null)
    {
        var index = new ProtectedTextIndex(options ?? new ProtectedTextIndexOptions { ExpectedNgrams = 100_000 });
        for (var d = 0; d < documents; d++)
        {
            index.AddDocument($"doc-{d}", ProseCorpus.Document(d, chars));
        }

        return index;
    }

    [Fact]
    public void FindLongestMatch_EveryVerbatimCopyOf99Characters_Hits()
    {
        var index = Build(5, 2000);
        var normalized = TextNormalizer.Normalize(ProseCorpus.Document(2, 2000), index.Options.Normalizer).Text;
        var benign = ProseCorpus.Document(1000, 300);
        for (var offset = 0; offset < 150; offset++)
        {
            var copy = normalized.Substring(offset, 99);
            var match = index.FindLongestMatch($"{benign} {copy} {benign}");
            Assert.True(match.Chunks >= 1, $"offset {offset}");
            Assert.Equal("doc-2", match.DocumentId);
            var shorter = index.FindLongestMatch(normalized.Substring(offset, 49));
            Assert.False(shorter.IsMatch);
        }
    }

    [Fact]
    public void FindLongestMatch_CopyOfThresholdLength_ExceedsThresholdAtEveryOffset()
    {
        var index = Build(3, 3000);
        var normalized = TextNormalizer.Normalize(ProseCorpus.Document(1, 3000), index.Options.Normalizer).Text;
        Assert.Equal(2, index.RequiredChunks);
        for (var offset = 0; offset < 100; offset++)
        {
            var match = index.FindLongestMatch(normalized.Substring(offset, 150));
            Assert.True(match.ExceedsThreshold, $"offset {offset}");
            Assert.InRange(match.NormalizedStart, 0, 49);
        }
    }

    [Theory]
    [InlineData("upper")]
    [InlineData("spacing")]
    [InlineData("homoglyphs")]
    [InlineData("zero-width")]
    [InlineData("punctuation")]
    [InlineData("fullwidth")]
    public void FindLongestMatch_StyleVariantsOfACopy_StillExceedThreshold(string variant)
    {
        var index = Build(3, 3000);
        var copy = ProseCorpus.Document(0, 3000).Substring(500, 400);
        var styled = StyleVariants.Apply(variant, copy);
        Assert.NotEqual(copy, styled);

        var match = index.FindLongestMatch("Here is the passage you asked for: " + styled);

        Assert.True(match.ExceedsThreshold, variant);
        Assert.Equal("doc-0", match.DocumentId);
        Assert.True(match.Length >= 300, $"{variant}: {match.Length}");
    }

    [Fact]
    public void FindLongestMatch_AllCapsBypassOfExactFilters_IsClosed()
    {
        var exact = Build(1, 2000, new ProtectedTextIndexOptions
        {
            ExpectedNgrams = 1000,
            Normalizer = new TextNormalizerOptions { RemovePunctuation = false, StripDiacritics = false, FoldHomoglyphs = false },
        });
        var copy = ProseCorpus.Document(0, 2000).Substring(100, 600).ToUpperInvariant();
        Assert.True(exact.FindLongestMatch(copy).ExceedsThreshold);

        // Without case folding (the MemFree setting) the upper-case copy would be a different string entirely.
        Assert.DoesNotContain(copy, ProseCorpus.Document(0, 2000), StringComparison.Ordinal);
    }

    [Fact]
    public void FindLongestMatch_BenignTextFromTheSameVocabulary_NeverExceedsThreshold()
    {
        var index = Build(50, 5000);
        var stops = 0;
        for (var seed = 10_000; seed < 10_500; seed++)
        {
            stops += index.FindLongestMatch(ProseCorpus.Document(seed, 1000)).ExceedsThreshold ? 1 : 0;
        }

        output.WriteLine($"benign stops: {stops}/500");
        Assert.Equal(0, stops);
    }

    [Fact]
    public void FindLongestMatch_ReportsSourceOffsetsOfTheCopy()
    {
        var index = Build(2, 2000);
        var prefix = "INTRO\u200B  to the passage that you asked me to quote in full: ";
        var copy = ProseCorpus.Document(1, 2000).Substring(200, 500);
        var text = prefix + copy.ToUpperInvariant() + " and then something else entirely.";

        var match = index.FindLongestMatch(text);

        Assert.InRange(match.SourceStart, prefix.Length, prefix.Length + 60);
        Assert.InRange(match.SourceEnd, prefix.Length + copy.Length - 60, prefix.Length + copy.Length);
        Assert.True(match.PossibleSourceStart <= match.SourceStart && match.PossibleSourceEnd >= match.SourceEnd);
        Assert.InRange(match.PossibleSourceStart, prefix.Length - 60, prefix.Length);
        Assert.InRange(match.PossibleSourceEnd, prefix.Length + copy.Length, prefix.Length + copy.Length + 60);
    }

    [Fact]
    public void Attribution_OverCapacity_FallsBackToTheBloomFilterAndNamesOnlyEarlyDocuments()
    {
        var index = Build(4, 2000, new ProtectedTextIndexOptions { ExpectedNgrams = 10_000, AttributionCapacity = 60 });

        Assert.False(index.Attribution.IsComplete);
        Assert.Equal(60, index.Attribution.Count);
        Assert.Equal("doc-0", index.FindLongestMatch(ProseCorpus.Document(0, 2000)[..400]).DocumentId);
        var late = index.FindLongestMatch(ProseCorpus.Document(3, 2000)[..400]);
        Assert.True(late.ExceedsThreshold);
        Assert.Null(late.DocumentId);
    }

    [Fact]
    public void Attribution_RoundTripsThroughBytes()
    {
        var index = Build(3, 1000);
        var copy = DocumentAttribution.Deserialize(index.Attribution.Serialize());

        Assert.Equal(index.Attribution.Count, copy.Count);
        Assert.True(copy.IsComplete);
        var hash = NgramHash.Of(TextNormalizer.Normalize(ProseCorpus.Document(2, 1000), index.Options.Normalizer).Text.AsSpan(0, 50));
        Assert.Equal("doc-2", copy.DocumentOf(hash));
        Assert.Throws<InvalidDataException>(() => DocumentAttribution.Deserialize(index.Attribution.Serialize().AsSpan(0, 40)));
    }

    [Fact]
    public void Constructor_InvalidOptions_ReportsEveryProblem()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new ProtectedTextIndex(new ProtectedTextIndexOptions
        {
            NgramWidth = 50, StopCharacters = 98, FalsePositiveRate = 0.9, ExpectedNgrams = 0,
        }));
        Assert.Equal(3, e.Failures.Count());
    }
}
