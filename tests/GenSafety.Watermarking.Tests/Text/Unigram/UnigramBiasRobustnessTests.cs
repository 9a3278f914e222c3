using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;
using GenSafety.Watermarking.Text.Unigram;
using Xunit.Abstractions;

namespace GenSafety.Watermarking.Tests.Text.Unigram;

/// <summary>
/// Detection of unigram-bias marks on simulated 200-token outputs after simple edits (a first slice of the attack
/// grid): truncation, random word deletion, and dilution by pasting the output into human text. Printed for the docs.
/// </summary>
public sealed class UnigramBiasRobustnessTests(ITestOutputHelper output)
{
    private const int Samples = 200;
    private static readonly TokenVocabulary Vocabulary = TokenVocabulary.ForEncoding(TokenVocabulary.Cl100kBase);
    private static readonly Lazy<(UnigramBiasScheme Scheme, WatermarkKey[] Keys, string[] Texts)> Marked = new(Generate);

    [Theory]
    [InlineData(25, 0.2)]
    [InlineData(50, 0.5)]
    [InlineData(100, 0.9)]
    public void Truncated(int tokens, double minimumTpr) =>
        Check($"truncated to {tokens} tokens", minimumTpr, (text, _) => Vocabulary.Tokenizer.Decode(Vocabulary.Tokenizer.EncodeToIds(text).Take(tokens)) ?? string.Empty);

    [Theory]
    [InlineData(0.1, 0.95)]
    [InlineData(0.3, 0.9)]
    public void WordsDeleted(double fraction, double minimumTpr) =>
        Check($"{fraction:P0} of words deleted", minimumTpr, (text, random) =>
            string.Join(' ', text.Split(' ').Where(_ => random.NextDouble() >= fraction)));

    [Theory]
    [InlineData(0.5, 0.8)]
    [InlineData(0.25, 0.3)]
    public void DilutedInHumanText(double markedShare, double minimumTpr) =>
        Check($"pasted into human text ({markedShare:P0} of the result marked)", minimumTpr, (text, random) =>
        {
            var human = ShippedText.HumanDocuments[random.Next(300, 400)];
            var humanTokens = Vocabulary.Tokenizer.EncodeToIds(human + " " + ShippedText.HumanDocuments[random.Next(300, 400)]);
            var wanted = (int)(200 * (1 - markedShare) / markedShare);
            var filler = Vocabulary.Tokenizer.Decode(humanTokens.Take(wanted)) ?? string.Empty;
            var cut = filler.Length / 2;
            return filler[..cut] + " " + text + " " + filler[cut..];
        });

    private void Check(string attack, double minimumTpr, Func<string, Random, string> edit)
    {
        var (scheme, keys, texts) = Marked.Value;
        var random = new Random(99);
        var detected = 0;
        for (var i = 0; i < texts.Length; i++)
        {
            detected += scheme.Detect(edit(texts[i], random), keys[i], 1e-3).Detected ? 1 : 0;
        }

        var tpr = detected / (double)texts.Length;
        output.WriteLine($"unigram-bias, 200-token simulated outputs {attack}: TPR {tpr:P1} at α=1e-3 ({texts.Length} outputs)");
        Assert.True(tpr >= minimumTpr, $"TPR {tpr:P1}");
    }

    private static (UnigramBiasScheme, WatermarkKey[], string[]) Generate()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions(), Vocabulary);
        var sampler = BiasedBigramSampler.FromShippedText(Vocabulary);
        var ring = TestKeys.Ring();
        var random = new Random(4242);
        var keys = Enumerable.Range(0, Samples).Select(i => ring.Current("tenant-" + (i % 20), KeyPurpose.UnigramBias)).ToArray();
        var texts = keys.Select(k => sampler.Sample(scheme.Plan(k, null).Entries, 200, random)).ToArray();
        return (scheme, keys, texts);
    }
}
