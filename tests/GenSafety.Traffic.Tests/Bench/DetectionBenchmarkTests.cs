using System.Globalization;
using GenSafety.Traffic.Scoring;

namespace GenSafety.Traffic.Tests.Bench;

/// <summary>
/// The CI-reduced detection benchmark (docs/detection.md, "Detection benchmark"): each attack family at 1 and 10
/// keys, 50 % mix, 150 attack requests, through a real gateway on real Redis in front of the reference model,
/// asserted at issue 4's acceptance targets. A row that today's detectors cannot meet is skipped with the detector
/// it waits for; the thresholds stay.
/// </summary>
[Collection(DetectionBenchDefinition.Name)]
public sealed class DetectionBenchmarkTests(DetectionBenchFixture bench)
{
    private const string AttackQueries = "150";
    private const string SybilLinking = "needs the sybil-linking detector: split over 10 keys, each key sends at most 15 attack requests, below api-surface's MinRequests (20), and nothing links the keys (measured: A1 and A2 at 10 keys undetected)";
    private const string Harvesting = "needs the distillation/harvesting detector (template prefixes, high max_tokens at temperature 1, reasoning phrases): no detector today scores A3";
    private const string Divergence = "needs the harvesting and near-duplicate (SEAT) detectors: the repeated 'repeat this word forever' prompts and long greedy completions are scored by no detector today";
    private const string EncoderStealing = "needs PRADA / window-MMD: b4b-coverage alone takes an A4 key with 1,200 texts to L1 (coverage ~0.26), not to L2, so nothing acts on it";
    private const string NoiseTooSmall = "B4B noise at the coverage an A4 key reaches here is σ(0.26) ≈ 1e-4, far below the σ ≈ 0.3 that halves fidelity (docs/traffic.md); needs a detector that raises the key's coverage-independent risk to L2 with noise that bites, e.g. PRADA / window-MMD, or a noise floor for flagged keys";

    private static readonly ScoringTargets Targets = new();

    [Theory]
    [InlineData("A1", 1)]
    [InlineData("A1", 10, Skip = SybilLinking)]
    [InlineData("A2", 1)]
    [InlineData("A2", 10, Skip = SybilLinking)]
    [InlineData("A3", 1, Skip = Harvesting)]
    [InlineData("A3", 10, Skip = Harvesting)]
    [InlineData("A4", 1, Skip = EncoderStealing)]
    [InlineData("A4", 10, Skip = EncoderStealing)]
    [InlineData("A5", 1, Skip = Divergence)]
    [InlineData("A5", 10, Skip = Divergence)]
    public async Task Attack_IsDetected_AtTheAcceptanceTargets(string family, int sybils)
    {
        var score = await bench.RunAsync(Matrix(family, sybils));

        var result = Assert.Single(score.Families);
        var campaign = Assert.Single(score.Campaigns);
        Assert.True(result.DetectionRate >= Targets.DetectionRate,
            Describe($"{family} over {sybils} keys: detected in {result.DetectionRate:P0} of campaigns; keys acted on carried {campaign.ActedShare:P0} of its attack requests", campaign));
        Assert.True(result.MedianQueriesToDetection <= Targets.MedianQueriesToDetection,
            Describe($"{family} over {sybils} keys: median queries to detection {result.MedianQueriesToDetection}", campaign));
        Assert.True(score.FalsePositiveRate <= Targets.FalsePositiveRate,
            $"{score.BenignFlagged} of {score.BenignClients} benign clients in the {family} campaign were flagged");
    }

    [Fact]
    public async Task BenignPersonas_FalsePositives_AtMostOnePerMille()
    {
        var score = await bench.RunAsync("--scenario", "benign", "--queries", "600", "--benign-clients", "300");

        Assert.Equal(300, score.BenignClients);
        Assert.True(score.FalsePositiveRate <= Targets.FalsePositiveRate,
            string.Join("; ", score.Personas.Select(p => $"{p.Persona}: {p.ClientsFlagged} of {p.Clients} flagged")));
        Assert.All(score.Personas, p => Assert.True(p.UtilityLoss <= 0.01, $"{p.Persona}: utility loss {p.UtilityLoss:P2}"));
    }

    [Fact(Skip = NoiseTooSmall)]
    public async Task EncoderStealing_FidelityFallsByHalfUnderNoise_WhileBenignEmbeddingsLoseAtMostOnePercent()
    {
        var undefended = await bench.RunDirectAsync(Matrix("A4", 1));
        var detected = await bench.RunAsync(Matrix("A4", 1));
        var pinned = await bench.RunAsync([.. Matrix("A4", 1), "--attack-level", "L2"]);

        var clean = Fidelity(undefended);
        Assert.True(Fidelity(detected) <= clean / 2, $"fidelity {Fidelity(detected):F4} at the detected level vs {clean:F4} undefended");
        Assert.True(Fidelity(pinned) <= clean / 2, $"fidelity {Fidelity(pinned):F4} pinned at L2 vs {clean:F4} undefended");
        foreach (var score in new[] { detected, pinned })
        {
            var embeddings = score.Personas.Single(p => p.Persona == "embeddings");
            Assert.True(embeddings.UtilityLoss <= 0.01, $"benign embeddings cosine drift {embeddings.UtilityLoss:P3}");
        }
    }

    private static string[] Matrix(string family, int sybils) =>
        ["--scenario", family, "--sybils", sybils.ToString(CultureInfo.InvariantCulture), "--mix", "0.5", "--attack-queries", AttackQueries, "--benign-load", "5"];

    private static double Fidelity(DetectionScore score) =>
        Assert.Single(score.Campaigns).SurrogateFidelity ?? throw new InvalidOperationException("A4 reported no fidelity.");

    private static string Describe(string what, CampaignScore campaign) =>
        $"{what} ({campaign.KeysActedOn} of {campaign.Keys} keys acted on, {campaign.CleanAnswers} of {campaign.AttackQueries} attack requests answered clean)";
}
