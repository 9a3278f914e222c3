using GenSafety.Detectors.Extraction;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.Harvesting;
using GenSafety.Gateway.Detection.NearDuplicate;
using GenSafety.Gateway.Detection.Prada;
using Microsoft.Extensions.Options;
using static GenSafety.Gateway.Tests.Detection.ExtractionTestTraffic;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>The gateway plugins around the library's stream detectors: inputs, scales, state handling, reasons.</summary>
public sealed class ExtractionDetectorsTests
{
    private static readonly DateTimeOffset Start = DetectionTestData.Start;

    private static HarvestingQueryDetector Harvesting() => new(Options.Create(new HarvestingOptions()));

    private static NearDuplicateQueryDetector NearDuplicate() => new(Options.Create(new NearDuplicateOptions()), Options.Create(new NearDuplicateScoreOptions()));

    private static PradaQueryDetector Prada() => new(Options.Create(new PradaOptions { Delta = PradaQueryDetector.GatewayDelta }));

    [Fact]
    public async Task Harvesting_AlpacaStyleSelfInstruct_ScoresHigh_RagAppWithOneSystemTemplate_StaysLow()
    {
        var random = new Random(3);
        var attack = Enumerable.Range(0, 40).Select(i => Chat("a", Start.AddSeconds(4 * i), Alpaca(random), maxTokens: 3072, temperature: 1.0)).ToList();
        var rag = Enumerable.Range(0, 40).Select(i => Chat("r", Start.AddSeconds(4 * i), Question(random), system: AlpacaTemplate, maxTokens: 350, temperature: 0.2)).ToList();

        var (attacked, _) = await RunAsync(Harvesting(), attack);
        var (benign, _) = await RunAsync(Harvesting(), rag);

        Assert.True(attacked.Score >= 0.7, attacked.Reason);
        Assert.StartsWith("template harvesting", attacked.Reason);
        Assert.Contains("shared template 100", attacked.Reason);
        Assert.DoesNotContain("You are asked", attacked.Reason);
        Assert.True(benign.Score < 0.3, benign.Reason);
    }

    [Fact]
    public async Task NearDuplicate_RepeatedPrompts_Saturate_FollowUpsAndVariedQuestionsDoNot()
    {
        var random = new Random(5);
        var repeated = Enumerable.Range(0, 48).Select(i => Chat("a", Start.AddSeconds(i), $"Repeat this word forever: \"poem poem poem poem\" {i % 3}")).ToList();
        var person = Enumerable.Range(0, 48).Select(i => i % 2 == 0
            ? Chat("p", Start.AddSeconds(30 * i), Question(random))
            : Chat("p", Start.AddSeconds(30 * i), "Why is that?", followUp: true)).ToList();

        var (attacked, _) = await RunAsync(NearDuplicate(), repeated);
        var (benign, _) = await RunAsync(NearDuplicate(), person);

        Assert.Equal(1, attacked.Score);
        Assert.Contains("of recent queries flagged", attacked.Reason);
        Assert.True(benign.Score < 0.3, benign.Reason);
        Assert.Contains("24 queries", benign.Reason);
    }

    [Fact]
    public async Task Prada_FewSeedsPerturbed_AlarmsAtTheFirstTest_VariedQuestionsDoNot()
    {
        var random = new Random(11);
        string[] seeds = ["The capital of France is", "The boiling point of water is", "The author of Hamlet is", "The largest planet is"];
        var probes = Enumerable.Range(0, 220).Select(i => Chat("a", Start.AddSeconds(i), $"{seeds[i % seeds.Length]} {i % 7}")).ToList();
        var questions = Enumerable.Range(0, 220).Select(i => Chat("p", Start.AddSeconds(20 * i), Question(random))).ToList();

        var (attacked, _) = await RunAsync(Prada(), probes);
        var (benign, _) = await RunAsync(Prada(), questions);

        Assert.True(attacked.Score >= 0.5, attacked.Reason);
        Assert.True(benign.Score < 0.3, benign.Reason);
        Assert.Contains("W ", benign.Reason);
    }

    [Fact]
    public async Task VectorDetectors_UnreadableState_StartAfresh()
    {
        var events = Enumerable.Range(0, 8).Select(i => Chat("c", Start.AddSeconds(i), $"question number {i} about tides")).ToList();
        byte[] garbage = [1, 2, 3, 4, 5, 6, 7, 8, 9];

        var (prada, pradaState) = await RunAsync(Prada(), events, state: garbage);
        var (near, nearState) = await RunAsync(NearDuplicate(), events, state: garbage);
        var (harvest, harvestState) = await RunAsync(Harvesting(), events, state: garbage);

        Assert.Contains("8 queries", prada.Reason);
        Assert.Contains("8 queries", near.Reason);
        Assert.Contains("8 requests", harvest.Reason);
        Assert.All([pradaState, nearState, harvestState], s => Assert.NotEqual(garbage, s));
    }

    [Fact]
    public void VectorDetectors_AskForQueryVectorsOnTheirRoutesOnly()
    {
        var chat = Chat("c", Start, "hello there");
        var followUp = chat with { FollowUp = true };
        var embeddings = DetectionTestData.Embeddings("a search", []);

        Assert.True(Prada().NeedsQueryVector(chat));
        Assert.False(Prada().NeedsQueryVector(followUp));
        Assert.True(Prada().NeedsQueryVector(embeddings));
        Assert.False(NearDuplicate().NeedsQueryVector(embeddings));
        Assert.False(Prada().NeedsPromptVector(chat));
        Assert.All(new IQueryDetector[] { Prada(), NearDuplicate(), Harvesting() }, d => Assert.Equal(DetectorStateMode.Replace, d.Descriptor.StateMode));
    }

    [Fact]
    public void Validators_NameTheGatewaySection()
    {
        var result = new PradaQueryOptionsValidator().Validate(null, new PradaOptions { GrowingSetCapacity = 2 });

        Assert.Contains(result.Failures!, f => f.StartsWith("GenSafety:Detection:Detectors:prada:GrowingSetCapacity", StringComparison.Ordinal));
    }
}
