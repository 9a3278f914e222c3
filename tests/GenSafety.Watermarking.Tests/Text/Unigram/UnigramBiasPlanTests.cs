using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;
using GenSafety.Watermarking.Text.Unigram;

namespace GenSafety.Watermarking.Tests.Text.Unigram;

public sealed class UnigramBiasPlanTests
{
    private static readonly TokenVocabulary Vocabulary = TokenVocabulary.ForEncoding(TokenVocabulary.Cl100kBase);
    private readonly WatermarkKey _key = TestKeys.Ring().Current("acme", KeyPurpose.UnigramBias);

    [Fact]
    public void Vocabulary_RankingStartsWithCommonTokensAndCoversEveryId()
    {
        var ranked = Vocabulary.RankedTokens.ToArray();
        var top = Vocabulary.Tokenizer.Decode(ranked[..20]);

        Assert.Equal(100_256, Vocabulary.Size);
        Assert.Equal(Vocabulary.Size, ranked.Distinct().Count());
        Assert.Contains(" the", top, StringComparison.Ordinal);
        Assert.Contains(" of", top, StringComparison.Ordinal);
    }

    [Fact]
    public void GreenList_FractionIsGamma()
    {
        var green = new GreenList(_key, Vocabulary.Size, 0.25);
        var count = Enumerable.Range(0, Vocabulary.Size).Count(green.IsGreen);
        var sd = Math.Sqrt(Vocabulary.Size * 0.25 * 0.75);

        Assert.InRange(count, (Vocabulary.Size * 0.25) - (5 * sd), (Vocabulary.Size * 0.25) + (5 * sd));
        Assert.False(green.IsGreen(-1));
        Assert.False(green.IsGreen(Vocabulary.Size));
    }

    [Fact]
    public void Plan_DefaultCap_GreenFrequentTokensWithDeltaWithinCap()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions(), Vocabulary);
        var green = scheme.GreenListFor(_key);
        var scored = Vocabulary.RankedTokens[..scheme.ScoredTokens].ToArray().ToHashSet();

        var plan = scheme.Plan(_key, null);

        Assert.True(plan.Applied);
        Assert.Equal(_key.Kid, plan.Kid);
        Assert.InRange(plan.Entries.Count, 200, 300);
        Assert.All(plan.Entries, e =>
        {
            Assert.True(green.IsGreen(e.Key));
            Assert.Contains(e.Key, scored);
            Assert.Equal(2.0, e.Value);
        });
        Assert.Equal(scored.Count(green.IsGreen), plan.WatermarkEntries + plan.GreenTokensLeftOut);
    }

    [Fact]
    public void DefaultScoredTokens_ExpectedGreensPlusThreeSdFitTheCap()
    {
        var k = UnigramBiasScheme.DefaultScoredTokens(300, 0.25, Vocabulary.Size);

        Assert.True((0.25 * k) + (3 * Math.Sqrt(k * 0.25 * 0.75)) <= 300);
        Assert.True((0.25 * (k + 1)) + (3 * Math.Sqrt((k + 1) * 0.25 * 0.75)) > 300);
        Assert.Equal(Vocabulary.Size, UnigramBiasScheme.DefaultScoredTokens(null, 0.25, Vocabulary.Size));
    }

    [Fact]
    public void Plan_ClientEntriesKeptAndCounted_ClientWinsOnGreenTokens()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions { EntryCap = 300 }, Vocabulary);
        var green = scheme.GreenListFor(_key);
        var greenTop = Vocabulary.RankedTokens.ToArray().First(green.IsGreen);
        var client = new Dictionary<int, double> { [greenTop] = -100, [42] = 5, [99_000] = -3 };

        var plan = scheme.Plan(_key, client);

        Assert.Equal(-100, plan.Entries[greenTop]);
        Assert.Equal(5, plan.Entries[42]);
        Assert.Equal(-3, plan.Entries[99_000]);
        Assert.Equal(3, plan.ClientEntries);
        Assert.True(plan.Entries.Count <= 300);
        Assert.Equal(plan.Entries.Count, plan.ClientEntries + plan.WatermarkEntries);
    }

    [Fact]
    public void Plan_ClientFillsCap_NothingAdded()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions { EntryCap = 20 }, Vocabulary);
        var client = Enumerable.Range(1000, 20).ToDictionary(t => t, _ => 1.0);

        var plan = scheme.Plan(_key, client);

        Assert.False(plan.Applied);
        Assert.Equal(client, plan.Entries);
    }

    [Fact]
    public void Plan_NoCap_EveryGreenTokenOfTheVocabulary()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions { EntryCap = null }, Vocabulary);
        var green = scheme.GreenListFor(_key);

        var plan = scheme.Plan(_key, null);

        Assert.Equal(Vocabulary.Size, scheme.ScoredTokens);
        Assert.Equal(Enumerable.Range(0, Vocabulary.Size).Count(green.IsGreen), plan.WatermarkEntries);
        Assert.Equal(0, plan.GreenTokensLeftOut);
    }

    [Fact]
    public void Plan_WrongKeyPurpose_Throws()
    {
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions(), Vocabulary);
        var lexicalKey = TestKeys.Ring().Current("acme", KeyPurpose.Lexical);

        Assert.Throws<ArgumentException>(() => scheme.Plan(lexicalKey, null));
    }

    [Fact]
    public void Validator_ReportsEveryError()
    {
        var options = new UnigramBiasOptions
        {
            Gamma = 1.5, Delta = 0, EntryCap = 0, ScoredTokens = 3, TargetFalsePositiveRate = 0.7, DefaultEncoding = "gpt2",
            ModelEncodings = { ["m"] = "p50k" }, ModelDeltas = { ["m"] = 0, ["n"] = 101, ["ok"] = 4 },
        };

        var result = new UnigramBiasOptionsValidator().Validate(null, options);

        Assert.Equal(9, result.Failures!.Count());
        Assert.Throws<ArgumentException>(() => new UnigramBiasScheme(options, Vocabulary));
        Assert.Throws<ArgumentException>(() => TokenVocabulary.ForEncoding("gpt2"));
    }

    [Fact]
    public void Plan_DeltaGiven_BiasesGreenTokensWithIt()
    {
        var options = new UnigramBiasOptions { ModelDeltas = { ["low-entropy"] = 5 } };
        var scheme = new UnigramBiasScheme(options, Vocabulary);
        var key = TestKeys.Ring().Current("acme", KeyPurpose.UnigramBias);

        Assert.All(scheme.Plan(key, null, options.DeltaFor("low-entropy")).Entries.Values, v => Assert.Equal(5, v));
        Assert.All(scheme.Plan(key, null, options.DeltaFor("other")).Entries.Values, v => Assert.Equal(options.Delta, v));
        Assert.All(scheme.Plan(key, null, options.DeltaFor(null)).Entries.Values, v => Assert.Equal(options.Delta, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => scheme.Plan(key, null, 0));
    }

    [Fact]
    public void EncodingFor_ConfiguredModelOrDefault()
    {
        var options = new UnigramBiasOptions { ModelEncodings = { ["gpt-4o"] = TokenVocabulary.O200kBase } };

        Assert.Equal(TokenVocabulary.O200kBase, options.EncodingFor("gpt-4o"));
        Assert.Equal(TokenVocabulary.Cl100kBase, options.EncodingFor("gpt-4"));
    }

    [Fact]
    public void O200kVocabulary_LoadsAndPlans()
    {
        var o200k = TokenVocabulary.ForEncoding(TokenVocabulary.O200kBase);
        var scheme = new UnigramBiasScheme(new UnigramBiasOptions { DefaultEncoding = TokenVocabulary.O200kBase }, o200k);

        Assert.True(o200k.Size > 199_000);
        Assert.True(scheme.Plan(_key, null).Applied);
    }
}
