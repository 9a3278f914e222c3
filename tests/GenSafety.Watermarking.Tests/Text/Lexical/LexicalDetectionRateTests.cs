using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Statistics;
using GenSafety.Watermarking.Tests.TestSupport;
using GenSafety.Watermarking.Text.Lexical;
using GenSafety.Watermarking.Text.Unigram;
using Xunit.Abstractions;

namespace GenSafety.Watermarking.Tests.Text.Lexical;

/// <summary>
/// The shipped-lexicon scheme on the shipped human-written corpus: detection of marked text by length, and false
/// positives on unmarked text. Numbers are printed for docs/watermarking.md.
/// </summary>
public sealed class LexicalDetectionRateTests(ITestOutputHelper output)
{
    private readonly LexicalScheme _scheme = new(new LexicalOptions(), SynonymLexicon.Shared);

    [Theory]
    [InlineData(200, 0.97)]
    [InlineData(400, 0.99)]
    [InlineData(1000, 0.99)]
    public void MarkedHumanText_DetectionRateByLength(int tokens, double minimumTpr)
    {
        var ring = TestKeys.Ring();
        var texts = Windows(tokens);
        var detected = 0;
        var scored = 0.0;
        var substitutions = 0.0;
        for (var i = 0; i < texts.Count; i++)
        {
            var key = ring.Current("tenant-" + (i % 20), KeyPurpose.Lexical);
            var marked = _scheme.Mark(texts[i], key);
            var result = _scheme.Detect(marked, key, 1e-3);
            detected += result.Detected ? 1 : 0;
            scored += result.Scored;
            substitutions += marked.Split(' ').Zip(texts[i].Split(' ')).Count(p => p.First != p.Second);
        }

        var tpr = detected / (double)texts.Count;
        output.WriteLine($"lexical, {tokens}-token windows: TPR {tpr:P1} at α=1e-3 over {texts.Count} marked texts; mean scored positions {scored / texts.Count:F1}, mean words changed {substitutions / texts.Count:F1}");
        Assert.True(tpr >= minimumTpr, $"TPR {tpr:P1}");
        Assert.True(scored / texts.Count >= tokens / 40.0, "the lexicon covers at least one position per 40 tokens");
    }

    [Fact]
    public void UnmarkedHumanText_FalsePositiveRateAtMostAlpha()
    {
        var ring = TestKeys.Ring();
        var texts = Windows(200);
        var results = new List<WatermarkTestResult>();
        for (var t = 0; t < 100; t++)
        {
            var key = ring.Current("tenant-" + t, KeyPurpose.Lexical);
            results.AddRange(texts.Select(text => _scheme.Detect(text, key, 1e-3)));
        }

        output.WriteLine($"lexical on {results.Count} unmarked human 200-token windows: {NullCalibration.Report(results, [1e-2, 1e-3], exact: false)}");
        NullCalibration.AssertAtMostAlpha(results, [1e-2, 1e-3]);
    }

    /// <summary>The shipped human documents cut to <paramref name="tokens"/> cl100k tokens (joined when longer).</summary>
    private static List<string> Windows(int tokens)
    {
        var tokenizer = TokenVocabulary.ForEncoding(TokenVocabulary.Cl100kBase).Tokenizer;
        var all = string.Join(' ', ShippedText.HumanDocuments);
        var ids = tokenizer.EncodeToIds(all);
        var windows = new List<string>();
        for (var start = 0; start + tokens <= ids.Count && windows.Count < 400; start += tokens)
        {
            windows.Add(tokenizer.Decode(ids.Skip(start).Take(tokens)) ?? string.Empty);
        }

        return windows;
    }
}
