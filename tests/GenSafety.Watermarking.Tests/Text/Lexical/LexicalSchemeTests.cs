using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;
using GenSafety.Watermarking.Text.Lexical;

namespace GenSafety.Watermarking.Tests.Text.Lexical;

public sealed class LexicalSchemeTests
{
    private static readonly SynonymLexicon Lexicon = new(["large big", "show demonstrate", "start begin commence", "quick fast rapid"]);
    private readonly LexicalScheme _scheme = new(new LexicalOptions(), Lexicon);
    private readonly WatermarkKey _key = TestKeys.Ring().Current("acme", KeyPurpose.Lexical);

    [Fact]
    public void ShippedLexicon_LoadsWordNetGroups()
    {
        var shared = SynonymLexicon.Shared;

        Assert.True(shared.GroupCount > 1500);
        Assert.True(shared.TryGetGroup("demonstrate", out var group));
        Assert.Contains("show", group);
        Assert.False(shared.TryGetGroup("the", out _));
    }

    [Theory]
    [InlineData("nigger")]
    [InlineData("kike")]
    [InlineData("wop")]
    [InlineData("motherfucker")]
    public void ShippedLexicon_LeavesOutSlursAndObscenities(string word) =>
        Assert.False(SynonymLexicon.Shared.TryGetGroup(word, out _));

    [Fact]
    public void Mark_SentenceStart_IsACandidate_AndKeepsItsCapital()
    {
        string[] nouns = ["houses", "cats", "dogs", "songs", "meals", "games", "plans", "trips", "books", "roads", "boats", "hills"];
        var text = string.Join(' ', nouns.Select(n => $"Large {n}. Quick {n}!"));

        var marked = _scheme.Mark(text, _key);

        var words = marked.Split(' ').Where(w => !nouns.Contains(w.TrimEnd('.', '!'))).ToList();
        Assert.All(words, w => Assert.True(char.IsAsciiLetterUpper(w[0]) && Lexicon.TryGetGroup(w.ToLowerInvariant(), out _), w));
        Assert.Contains(words, w => w is "Big" or "Fast" or "Rapid");
        Assert.True(_scheme.Detect(marked, _key).Detected);
    }

    [Fact]
    public void Detect_LoneBacktick_EndsAtABlankLine()
    {
        var text = "a `quote that never closes\n\n" + RepeatedSentences(40);

        var marked = _scheme.Mark(text, _key);

        Assert.NotEqual(text, marked);
        Assert.True(_scheme.Detect(marked, _key).Detected);
    }

    [Theory]
    [InlineData("homoglyphs")]
    [InlineData("zero-width")]
    [InlineData("full-width")]
    public void Detect_ReadsThroughInvisibleAndLookAlikeCharacters(string attack)
    {
        var marked = _scheme.Mark(RepeatedSentences(40), _key);
        var random = new Random(5);

        var attacked = attack switch
        {
            "homoglyphs" => TextAttacks.Homoglyphs(marked, 0.5, random),
            "zero-width" => TextAttacks.ZeroWidth(marked, 0.5, random),
            _ => TextAttacks.FullWidth(marked),
        };

        Assert.NotEqual(marked, attacked);
        var result = _scheme.Detect(attacked, _key);
        Assert.True(result.Detected);
        Assert.Equal(result.Scored, result.Hits);
    }

    [Fact]
    public void Lexicon_WordInTwoGroups_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new SynonymLexicon(["big large", "large huge"]));
        Assert.Throws<ArgumentException>(() => new SynonymLexicon(["alone"]));
    }

    [Fact]
    public void Mark_OnlyCandidateWordsChange_AndOnlyWithinTheirGroup()
    {
        var text = RepeatedSentences(40);

        var marked = _scheme.Mark(text, _key);

        var before = text.Split(' ');
        var after = marked.Split(' ');
        Assert.Equal(before.Length, after.Length);
        var changed = 0;
        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] != after[i])
            {
                changed++;
                Assert.True(Lexicon.TryGetGroup(before[i].TrimEnd('.', ','), out var group));
                Assert.Contains(after[i].TrimEnd('.', ','), group);
            }
        }

        Assert.True(changed > 0);
    }

    [Theory]
    [InlineData("```\nstart the large quick show\n```")]
    [InlineData("run `start large` now")]
    [InlineData("see https://example.com/start/large and large2 and 3large")]
    [InlineData("the Large Start Show Quick")]
    [InlineData("Mr. Large met Dr. Quick")]
    [InlineData("{\"text\": \"start the large quick show\"}")]
    [InlineData("[\"start\", \"large\"]")]
    [InlineData("e-mail start@large.com, path /start/large, snake start_large")]
    public void Mark_ProtectedText_Untouched(string text)
    {
        Assert.Equal(text, _scheme.Mark(text, _key));
        Assert.Equal(0, _scheme.Detect(text, _key).Scored);
    }

    [Fact]
    public void Mark_JsonMode_Untouched()
    {
        var text = RepeatedSentences(10);

        Assert.Equal(text, _scheme.Mark(text, _key, isJson: true));
    }

    [Fact]
    public void Mark_CodeFenceThenProse_ProseStillMarked()
    {
        var code = "```\nstart large quick show\n```\n";
        var prose = RepeatedSentences(20);

        var marked = _scheme.Mark(code + prose, _key);

        Assert.StartsWith(code, marked, StringComparison.Ordinal);
        Assert.Equal(_scheme.Mark(prose, _key)[1..], marked[(code.Length + 1)..]);
    }

    [Fact]
    public void Stream_AnyChunking_SameAsWholeText_HoldingBackAtMostOneWord()
    {
        var text = RepeatedSentences(30) + "\n```\nstart the large\n```\nThen start a quick show.";
        var whole = _scheme.Mark(text, _key);
        var random = new Random(5);
        for (var trial = 0; trial < 20; trial++)
        {
            var stream = _scheme.BeginStream(_key);
            var sent = new System.Text.StringBuilder();
            var fed = 0;
            while (fed < text.Length)
            {
                var size = Math.Min(text.Length - fed, random.Next(1, 12));
                sent.Append(stream.Append(text.Substring(fed, size)));
                fed += size;
                // Synonyms differ in length but never contain whitespace: everything up to the last whitespace fed
                // has been sent exactly when the sent text has as much whitespace as the text fed.
                Assert.StartsWith(sent.ToString(), whole, StringComparison.Ordinal);
                Assert.Equal(text[..fed].Count(char.IsWhiteSpace), sent.ToString().Count(char.IsWhiteSpace));
            }

            sent.Append(stream.Complete());
            Assert.Equal(whole, sent.ToString());
        }
    }

    [Fact]
    public void Stream_LongRunWithoutWhitespace_PassedThroughUntouched()
    {
        var stream = _scheme.BeginStream(_key);
        var blob = new string('a', 100);

        var first = stream.Append(blob[..70]);
        var rest = stream.Append(blob[70..] + " ") + stream.Complete();

        Assert.Equal(70, first.Length);
        Assert.Equal(blob + " ", first + rest);
    }

    [Fact]
    public void Detect_MarkedVersusUnmarked()
    {
        var text = RepeatedSentences(60);

        var marked = _scheme.Detect(_scheme.Mark(text, _key), _key, 1e-3);
        var unmarked = _scheme.Detect(text, _key, 1e-3);
        var otherKey = _scheme.Detect(_scheme.Mark(text, TestKeys.Ring().Current("globex", KeyPurpose.Lexical)), _key, 1e-3);

        Assert.True(marked.Detected, $"z {marked.Z}");
        Assert.True(marked.Hits > marked.Scored * 0.7);
        Assert.False(unmarked.Detected);
        Assert.False(otherKey.Detected);
    }

    [Fact]
    public void Detect_WrongPurposeKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => _scheme.Detect("start", TestKeys.Ring().Current("acme", KeyPurpose.UnigramBias)));
    }

    /// <summary>Varied sentences over the small test lexicon, so (previous word, word) pairs differ.</summary>
    private static string RepeatedSentences(int count)
    {
        string[] subjects = ["we", "they", "you", "people", "teams", "players", "writers", "students", "friends", "cities"];
        string[] verbs = ["start", "begin", "show", "demonstrate", "commence"];
        string[] adjectives = ["large", "big", "quick", "fast", "rapid"];
        string[] nouns = ["projects", "games", "stories", "plans", "journeys", "meals", "songs"];
        var random = new Random(count);
        var sentences = new List<string>();
        for (var i = 0; i < count; i++)
        {
            sentences.Add($"{subjects[random.Next(subjects.Length)]} {verbs[random.Next(verbs.Length)]} {adjectives[random.Next(adjectives.Length)]} {nouns[random.Next(nouns.Length)]},"
                + $" {nouns[random.Next(nouns.Length)]} {adjectives[random.Next(adjectives.Length)]} {verbs[random.Next(verbs.Length)]}.");
        }

        return string.Join(' ', sentences);
    }
}
