using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Statistics;
using GenSafety.Watermarking.Tests.TestSupport;
using GenSafety.Watermarking.Text.Unigram;
using Xunit.Abstractions;

namespace GenSafety.Watermarking.Tests.Text.Unigram;

/// <summary>
/// Detection rates of unigram-bias on 200-token outputs of the simulated upstream (<see cref="BiasedBigramSampler"/>)
/// and false-positive rates on the shipped human-written corpus. Numbers are printed for docs/watermarking.md.
/// </summary>
public sealed class UnigramBiasDetectionTests(ITestOutputHelper output)
{
    private const int Tokens = 200;
    private static readonly TokenVocabulary Vocabulary = TokenVocabulary.ForEncoding(TokenVocabulary.Cl100kBase);
    private static readonly Lazy<BiasedBigramSampler> Sampler = new(() => BiasedBigramSampler.FromShippedText(Vocabulary));

    [Fact]
    public void MarkedOutputs_TprAtLeast99PercentAtFpr1e3()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions(), Vocabulary);
        var ring = TestKeys.Ring();
        var random = new Random(20261205);
        const int Samples = 500;
        var detected = 0;
        var z = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            var key = ring.Current("tenant-" + (i % 50), KeyPurpose.UnigramBias);
            var text = Sampler.Value.Sample(scheme.Plan(key, null).Entries, Tokens, random);
            var result = scheme.Detect(text, key, 1e-3);
            detected += result.Detected ? 1 : 0;
            z.Add(result.Z);
        }

        var tpr = detected / (double)Samples;
        output.WriteLine($"unigram-bias γ=0.25 δ=2 cap=300 K={scheme.ScoredTokens}: TPR {tpr:P2} at α=1e-3 over {Samples} marked {Tokens}-token outputs; z mean {z.Average():F2}, min {z.Min():F2}");
        Assert.True(tpr >= 0.99, $"TPR {tpr:P2}");
    }

    [Fact]
    public void UnmarkedSamplerOutputs_NotDetected()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions(), Vocabulary);
        var key = TestKeys.Ring().Current("acme", KeyPurpose.UnigramBias);
        var random = new Random(7);
        var detected = Enumerable.Range(0, 200).Count(_ => scheme.Detect(Sampler.Value.Sample(null, Tokens, random), key, 1e-3).Detected);

        Assert.True(detected <= 2, $"{detected} of 200 unmarked outputs detected");
    }

    [Fact]
    public void MarkedWithAnotherKey_NotDetected()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions(), Vocabulary);
        var ring = TestKeys.Ring();
        var random = new Random(11);
        var detected = 0;
        for (var i = 0; i < 100; i++)
        {
            var text = Sampler.Value.Sample(scheme.Plan(ring.Current("globex", KeyPurpose.UnigramBias), null).Entries, Tokens, random);
            detected += scheme.Detect(text, ring.Current("acme", KeyPurpose.UnigramBias), 1e-3).Detected ? 1 : 0;
        }

        Assert.True(detected <= 2, $"{detected} of 100 outputs marked for another tenant detected");
    }

    [Fact]
    public void HumanText_FalsePositivesMatchTheExactNullModel()
    {
        // Negatives share a key in groups of 400 documents; many keys keep that clustering from dominating the estimate.
        const int Keys = 100;
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions(), Vocabulary);
        var ring = TestKeys.Ring();
        var documents = ShippedText.HumanDocuments.Select(d => Vocabulary.Tokenizer.EncodeToIds(d).Take(Tokens).ToArray()).ToArray();
        var results = new List<WatermarkTestResult>();
        for (var t = 0; t < Keys; t++)
        {
            var key = ring.Current("tenant-" + t, KeyPurpose.UnigramBias);
            results.AddRange(documents.Select(d => scheme.Score(d, key, 1e-3)));
        }

        var report = NullCalibration.Report(results, [1e-2, 1e-3]);
        output.WriteLine($"unigram-bias on {results.Count} human {Tokens}-token windows (400 documents x {Keys} keys): {report}");
        NullCalibration.AssertMatchesNull(results, [1e-2, 1e-3]);
    }

    [Fact]
    public void DetectAcrossKeys_RetiredKeyFound_BonferroniApplied()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions(), Vocabulary);
        var clock = new ManualClock(DateTimeOffset.Parse("2026-12-05T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var ring = TestKeys.Ring(clock);
        var old = ring.Current("acme", KeyPurpose.UnigramBias);
        var text = Sampler.Value.Sample(scheme.Plan(old, null).Entries, Tokens, new Random(3));
        clock.Now += TimeSpan.FromDays(61);

        var keys = ring.DetectionKeys("acme", KeyPurpose.UnigramBias);
        var single = scheme.Detect(text, old, 1e-3);
        var combined = scheme.Detect(text, keys);

        Assert.True(combined.Detected);
        Assert.Equal(old.Kid, combined.Kid);
        Assert.Equal(4, combined.KeysTried);
        Assert.Equal(Math.Min(1, single.PValue * 4), combined.PValue, 12);
    }

    [Fact]
    public void EmptyOrUnscoredText_NotDetected()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions(), Vocabulary);
        var key = TestKeys.Ring().Current("acme", KeyPurpose.UnigramBias);

        var empty = scheme.Detect(string.Empty, key);

        Assert.Equal(0, empty.Scored);
        Assert.False(empty.Detected);
        Assert.Equal(1, empty.PValue);
    }

    [Fact]
    public void RepeatedTokens_CountOnce()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions(), Vocabulary);
        var key = TestKeys.Ring().Current("acme", KeyPurpose.UnigramBias);
        var green = scheme.GreenListFor(key);
        var greenToken = Vocabulary.RankedTokens.ToArray().First(green.IsGreen);

        var result = scheme.Score(Enumerable.Repeat(greenToken, 500).ToArray(), key, 1e-3);

        Assert.Equal(1, result.Scored);
        Assert.Equal(1, result.Hits);
        Assert.False(result.Detected);
    }
}
