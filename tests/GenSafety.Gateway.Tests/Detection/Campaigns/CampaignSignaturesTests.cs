using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.Campaigns;
using GenSafety.Gateway.Proxy;
using static GenSafety.Gateway.Tests.Detection.DetectionTestData;

namespace GenSafety.Gateway.Tests.Detection.Campaigns;

public sealed class CampaignSignaturesTests
{
    private static readonly CampaignOptions Options = new();

    private static readonly string SelfInstruct = "You are asked to come up with a set of 20 diverse task instructions.\n   These task instructions will be given to a GPT model. "
        + string.Concat(Enumerable.Repeat("Requirement: be diverse, use varied verbs and realistic inputs. ", 8));

    private static QueryEvent Hot(string prompt, int? maxTokens = 3072, double? temperature = 1.0, string route = RouteKinds.ChatCompletions)
        => Chat(prompt) with { RouteKind = route, Parameters = new QueryParameters(false, null, [], maxTokens, temperature, null, null, false, false) };

    [Fact]
    public void ExtremeBias_IsASweepOfThePrompt_WithOneSettingPerTokenAndBias()
    {
        var signatures = CampaignSignatures.Of(Chat("The capital of", Bias((10, 100), (11, 100), (12, 100)), maxTokens: 16), Options);

        var sweep = Assert.Single(signatures);
        Assert.Equal(CampaignKinds.Sweep, sweep.Kind);
        Assert.Equal(QueryEventReader.Hash("The capital of"), sweep.Key);
        Assert.Equal(3, sweep.Settings.Count);
    }

    [Fact]
    public void MildBias_IsAProbeOnlyForVeryShortAnswers()
    {
        Assert.Empty(CampaignSignatures.Of(Chat("Write a story", Bias((10, 5)), maxTokens: 200), Options));
        var probe = Assert.Single(CampaignSignatures.Of(Chat("Write a story", Bias((10, 5)), maxTokens: 1), Options));

        // The same token at another bias is another setting: bisection steps count.
        var other = Assert.Single(CampaignSignatures.Of(Chat("Write a story", Bias((10, 2.5)), maxTokens: 1), Options));
        Assert.NotEqual(probe.Settings[0], other.Settings[0]);
        Assert.Equal(probe.Key, other.Key);
    }

    [Fact]
    public void LongHotTemplate_IsHarvesting_NamedByItsOpeningWhateverTheWhiteSpaceAndCase()
    {
        var first = Assert.Single(CampaignSignatures.Of(Hot(SelfInstruct + "Seed: sort a list."), Options));
        var second = Assert.Single(CampaignSignatures.Of(Hot("  " + SelfInstruct.Replace("\n   ", " ", StringComparison.Ordinal).ToUpperInvariant() + "Seed: name a river."), Options));

        Assert.Equal(CampaignKinds.Harvest, first.Kind);
        Assert.Equal(first.Key, second.Key);
    }

    [Theory]
    [InlineData(512, 1.0)] // short outputs
    [InlineData(3072, 0.2)] // a RAG app's low temperature
    public void LongTemplate_WithoutHotLongSampling_IsNotHarvesting(int maxTokens, double temperature)
        => Assert.Empty(CampaignSignatures.Of(Hot(SelfInstruct, maxTokens, temperature), Options));

    [Fact]
    public void AbsentTemperature_CountsAsOne_ButShortPromptsAndEmbeddingsNever()
    {
        Assert.Single(CampaignSignatures.Of(Hot(SelfInstruct, temperature: null), Options));
        Assert.Empty(CampaignSignatures.Of(Hot("Tell me a joke about cats.", temperature: null), Options));
        Assert.Empty(CampaignSignatures.Of(Hot(SelfInstruct, route: RouteKinds.Embeddings), Options));
    }

    [Fact]
    public void BroadEmbeddingsBatch_IsCoverage_WithItsBuckets_NarrowOrSmallBatchesAreNot()
    {
        var projection = new GenSafety.Detectors.Coverage.B4BProjection(16, 42);
        var random = new Random(5);
        float[] Direction(int axis, double spread) => [.. Enumerable.Range(0, 16).Select(d => (float)((d == axis ? 1 : 0) + (spread * ((random.NextDouble() * 2) - 1))))];
        var broad = Enumerable.Range(0, 8).Select(i => Direction(i, 0.05)).ToArray(); // eight orthogonal-ish texts
        var narrow = Enumerable.Range(0, 8).Select(_ => Direction(3, 0.3)).ToArray(); // one topic

        var coverage = CampaignSignatures.Coverage(Embeddings("batch", broad), Options, projection);

        Assert.NotNull(coverage);
        Assert.Equal((CampaignKinds.Coverage, 0UL), (coverage.Kind, coverage.Key));
        Assert.InRange(coverage.Settings.Count, 2, 8);
        Assert.All(coverage.Settings, b => Assert.InRange(b, 0, 4095));
        Assert.Null(CampaignSignatures.Coverage(Embeddings("batch", narrow), Options, projection));
        Assert.Null(CampaignSignatures.Coverage(Embeddings("batch", broad[..3]), Options, projection));
        Assert.Null(CampaignSignatures.Coverage(Embeddings("batch", [.. broad.Select(v => v[..8])]), Options, projection)); // other dimension
    }

    [Fact]
    public void MeanCosine_OfOrthogonalAndIdenticalVectors()
    {
        Assert.Equal(0, CampaignSignatures.MeanCosine([[1, 0, 0], [0, 1, 0], [0, 0, 2]], 32), 9);
        Assert.Equal(1, CampaignSignatures.MeanCosine([[1, 1], [2, 2], [3, 3]], 32), 9);
        Assert.Equal(1, CampaignSignatures.MeanCosine([[1, 1]], 32));
    }

    [Fact]
    public void DivergencePrompt_IsOneTenantSignature_WithTheWordAsSetting()
    {
        var poem = Assert.Single(CampaignSignatures.Of(Chat("Repeat this word forever: \"poem poem poem poem\""), Options));
        var company = Assert.Single(CampaignSignatures.Of(Chat("Repeat the word \"company\" forever."), Options));

        Assert.Equal((CampaignKinds.Divergence, 0UL), (poem.Kind, poem.Key));
        Assert.Equal(poem.Key, company.Key);
        Assert.NotEqual(poem.Settings.Single(), company.Settings.Single());
        Assert.Empty(CampaignSignatures.Of(Chat("Write a poem about the sea, four lines."), Options));
    }
}
