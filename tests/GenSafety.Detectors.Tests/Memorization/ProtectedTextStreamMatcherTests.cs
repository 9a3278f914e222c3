using GenSafety.Detectors.Memorization;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Tests.Memorization;

public sealed class ProtectedTextStreamMatcherTests
{
    private static readonly ProtectedTextIndex Index = ProtectedTextIndexTests.Build(10, 3000);

    // Feeds text in random deltas, forwarding what the matcher allows; returns what reached the client.
    private static (string Forwarded, StreamMatchStatus Status) Stream(ProtectedTextStreamMatcher matcher, string text, long seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        long forwarded = 0;
        for (var at = 0; at < text.Length;)
        {
            var length = Math.Min(text.Length - at, 1 + random.NextInt(24));
            var status = matcher.Append(text.AsSpan(at, length));
            at += length;
            Assert.True(status.ForwardableOffset >= forwarded, "the forwardable offset never moves back");
            if (status.Stopped)
            {
                Assert.True(status.StopOffset >= forwarded, "the stop offset is never inside text already sent");
                return (text[..(int)status.StopOffset], status);
            }

            forwarded = status.ForwardableOffset;
        }

        var end = matcher.Complete();
        return (text[..(int)(end.Stopped ? end.StopOffset : end.ForwardableOffset)], end);
    }

    private static int LeakedSpan(string forwarded, int document) =>
        ProseCorpus.LongestCommonSubstring(
            TextNormalizer.Normalize(forwarded, Index.Options.Normalizer).Text,
            TextNormalizer.Normalize(ProseCorpus.Document(document, 3000), Index.Options.Normalizer).Text);

    [Fact]
    public void Append_CopiesSplitAcrossRandomDeltas_StopBeforeThresholdCharactersLeak()
    {
        for (var trial = 0; trial < 60; trial++)
        {
            var document = trial % 10;
            var offset = 37 * trial % 1500;
            var copy = ProseCorpus.Document(document, 3000).Substring(offset, 600);
            var text = ProseCorpus.Document(20_000 + trial, 200) + " " + copy + " " + ProseCorpus.Document(30_000 + trial, 200);

            var (forwarded, status) = Stream(Index.CreateStreamMatcher(), text, trial);

            Assert.True(status.Stopped, $"trial {trial}");
            Assert.InRange(LeakedSpan(forwarded, document), 0, Index.Options.StopCharacters - 1);
        }
    }

    [Fact]
    public void Append_HoldBack_SendsNoCharacterOfTheCopy()
    {
        Assert.Equal(149, Index.HoldBackCharacters);
        for (var trial = 0; trial < 30; trial++)
        {
            var document = trial % 10;
            var copy = ProseCorpus.Document(document, 3000).Substring(11 * trial, 500);
            var lead = ProseCorpus.Document(40_000 + trial, 400);
            var text = lead + " " + copy;

            var (forwarded, status) = Stream(Index.CreateStreamMatcher(holdBack: true), text, trial);

            Assert.True(status.Stopped);
            Assert.True(forwarded.Length <= lead.Length + 1, $"trial {trial}: forwarded {forwarded.Length} of lead {lead.Length}");
            Assert.True(forwarded.Length >= lead.Length - 200, $"trial {trial}: cut {lead.Length - forwarded.Length} characters of the lead");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Append_StyleVariantsAcrossDeltas_Stop(string variant)
    {
        var copy = StyleVariants.Apply(variant, ProseCorpus.Document(4, 3000).Substring(900, 500));
        var (forwarded, status) = Stream(Index.CreateStreamMatcher(), "Sure! " + copy, 5);

        Assert.True(status.Stopped);
        Assert.InRange(LeakedSpan(forwarded, 4), 0, 149);
        Assert.Equal("doc-4", Index.CreateStreamMatcher() is var m && m.Append(copy).Stopped ? m.MatchedDocumentId : null);
    }

    public static TheoryData<string> Variants() => [.. StyleVariants.All];

    [Fact]
    public void Append_BenignStreams_ForwardEverything()
    {
        for (var trial = 0; trial < 100; trial++)
        {
            var text = ProseCorpus.Document(50_000 + trial, 1500);
            var (forwarded, status) = Stream(Index.CreateStreamMatcher(), text, trial);
            Assert.False(status.Stopped);
            Assert.Equal(text, forwarded);
        }
    }

    [Fact]
    public void Append_HoldBack_ReleasesAllButTheHeldCharacters()
    {
        var matcher = Index.CreateStreamMatcher(holdBack: true);
        var text = ProseCorpus.Document(60_000, 1000);

        var status = matcher.Append(text);

        var released = TextNormalizer.Normalize(text[..(int)status.ForwardableOffset], Index.Options.Normalizer).Text.Length;
        var total = TextNormalizer.Normalize(text, Index.Options.Normalizer).Text.Length;
        Assert.InRange(total - released, 149, 150);
        Assert.Equal(text.Length, matcher.Complete().ForwardableOffset);
    }

    [Fact]
    public void Append_AfterStop_KeepsTheStopStatus()
    {
        var matcher = Index.CreateStreamMatcher();
        var first = matcher.Append(ProseCorpus.Document(1, 3000).AsSpan(0, 800));
        Assert.True(first.Stopped);
        Assert.Equal(first, matcher.Append("more text"));
        Assert.Equal(first, matcher.Complete());
        Assert.True(matcher.LongestChain >= 2);
    }
}

public sealed class ProtectedCodeStreamMatcherTests
{
    private const string Protected = """
        float Q_rsqrt(float number)
        {
            long i;
            float x2, y;
            const float threehalfs = 1.5F;
            x2 = number * 0.5F;
            y  = number;
            i  = * ( long * ) &y;                       // evil floating point bit level hacking
            i  = 0x5f3759df - ( i >> 1 );               // what the
            y  = * ( float * ) &i;
            y  = y * ( threehalfs - ( x2 * y * y ) );   // 1st iteration
            return y;
        }
        """;

    [Fact]
    public void Append_RenamedCopyOfProtectedCode_StopsWhenIdentifiersAreCanonicalised()
    {
        var options = new ProtectedTextIndexOptions { ExpectedNgrams = 1000, Normalizer = new TextNormalizerOptions { CanonicalizeIdentifiers = true } };
        var index = new ProtectedTextIndex(options);
        index.AddDocument("quake", Protected);
        var renamed = Protected.Replace("Q_rsqrt", "racine").Replace("number", "nombre").Replace("threehalfs", "trois_moitie").Replace("x2", "moitie");

        var matcher = index.CreateStreamMatcher();
        var status = default(StreamMatchStatus);
        for (var at = 0; at < renamed.Length && !status.Stopped; at += 7)
        {
            status = matcher.Append(renamed.AsSpan(at, Math.Min(7, renamed.Length - at)));
        }

        Assert.True(status.Stopped);
        Assert.Equal("quake", matcher.MatchedDocumentId);
        // Without canonicalisation the renames break the copy into stretches too short to stop.
        var plain = new ProtectedTextIndex(new ProtectedTextIndexOptions { ExpectedNgrams = 1000 });
        plain.AddDocument("quake", Protected);
        Assert.False(plain.FindLongestMatch(renamed).ExceedsThreshold);
        Assert.True(plain.FindLongestMatch(Protected).ExceedsThreshold);
    }
}
