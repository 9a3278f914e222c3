using System.Globalization;
using GenSafety.Traffic.Scoring;

namespace GenSafety.Traffic.Tests.Bench;

/// <summary>
/// The CI-reduced detection benchmark (docs/detection.md, "Detection benchmark"): each attack family at 1 and 10
/// keys, 50 % mix, 150 attack requests (300 for encoder stealing on one key, which needs ~250 before
/// <c>b4b-coverage</c> acts), through a real gateway on real Redis in front of the reference model, asserted at
/// issue 4's acceptance targets.
/// </summary>
[Collection(DetectionBenchDefinition.Name)]
public sealed class DetectionBenchmarkTests(DetectionBenchFixture bench)
{
    private const string AttackQueries = "150";
    private const string EncoderStealingQueries = "300";

    private static readonly ScoringTargets Targets = new();

    [Theory]
    [InlineData("A1", 1)]
    [InlineData("A1", 10)]
    [InlineData("A2", 1)]
    [InlineData("A2", 10)]
    [InlineData("A3", 1)]
    [InlineData("A3", 10)]
    [InlineData("A4", 10)]
    [InlineData("A5", 1)]
    [InlineData("A5", 10)]
    public async Task Attack_IsDetected_AtTheAcceptanceTargets(string family, int sybils)
        => AssertDetected(await bench.RunAsync(Matrix(family, sybils)), $"{family} over {sybils} keys");

    [Fact]
    public async Task EncoderStealing_OnOneKey_IsDetected_AndTheNoiseThenCutsTheSurrogatesFidelity()
    {
        var undefended = await bench.RunDirectAsync(Matrix("A4", 1));
        var detected = await bench.RunAsync(Matrix("A4", 1));

        AssertDetected(detected, "A4 over 1 key");
        // The answers before detection are clean (≈ 250 of 300), so the drop is smaller than at L2 from the start
        // (the acceptance's ≥ 50 %, next test): measured −41 %.
        var clean = Fidelity(undefended);
        Assert.True(Fidelity(detected.Score) <= clean * 2 / 3, $"fidelity {Fidelity(detected.Score):F4} at the detected level vs {clean:F4} undefended");
    }

    [Fact]
    public async Task BenignPersonas_FalsePositives_AtMostOnePerMille()
    {
        var run = await bench.RunAsync("--scenario", "benign", "--queries", "600", "--benign-clients", "300");
        var score = run.Score;

        Assert.Equal(300, score.BenignClients);
        Assert.True(score.FalsePositiveRate <= Targets.FalsePositiveRate,
            string.Join("; ", score.Personas.Select(p => $"{p.Persona}: {p.ClientsFlagged} of {p.Clients} flagged")) + "\n" + run.DescribeFlagged());
        Assert.All(score.Personas, p => Assert.True(p.UtilityLoss <= 0.01, $"{p.Persona}: utility loss {p.UtilityLoss:P2}"));
    }

    [Fact]
    public async Task EncoderStealing_AtL2_FidelityFallsByHalfUnderNoise_WhileBenignEmbeddingsLoseAtMostOnePercent()
    {
        var undefended = await bench.RunDirectAsync(Matrix("A4", 1));
        var pinned = (await bench.RunAsync([.. Matrix("A4", 1), "--attack-level", "L2"])).Score;

        var clean = Fidelity(undefended);
        Assert.True(Fidelity(pinned) <= clean / 2, $"fidelity {Fidelity(pinned):F4} pinned at L2 vs {clean:F4} undefended");
        var embeddings = pinned.Personas.Single(p => p.Persona == "embeddings");
        Assert.True(embeddings.UtilityLoss <= 0.01, $"benign embeddings cosine drift {embeddings.UtilityLoss:P3}");
    }

    private static void AssertDetected(BenchRun run, string campaignName)
    {
        var score = run.Score;
        var result = Assert.Single(score.Families);
        var campaign = Assert.Single(score.Campaigns);
        Assert.True(result.DetectionRate >= Targets.DetectionRate,
            Describe($"{campaignName}: detected in {result.DetectionRate:P0} of campaigns; keys acted on carried {campaign.ActedShare:P0} of its attack requests", campaign));
        Assert.True(result.MedianQueriesToDetection <= Targets.MedianQueriesToDetection,
            Describe($"{campaignName}: median queries to detection {result.MedianQueriesToDetection}", campaign));
        Assert.True(score.FalsePositiveRate <= Targets.FalsePositiveRate,
            $"{score.BenignFlagged} of {score.BenignClients} benign clients in the {campaignName} campaign were flagged:\n{run.DescribeFlagged()}");
    }

    private static string[] Matrix(string family, int sybils) =>
        ["--scenario", family, "--sybils", sybils.ToString(CultureInfo.InvariantCulture), "--mix", "0.5", "--attack-queries", family == "A4" && sybils == 1 ? EncoderStealingQueries : AttackQueries, "--benign-load", "5"];

    private static double Fidelity(DetectionScore score) =>
        Assert.Single(score.Campaigns).SurrogateFidelity ?? throw new InvalidOperationException("A4 reported no fidelity.");

    private static string Describe(string what, CampaignScore campaign) =>
        $"{what} ({campaign.KeysActedOn} of {campaign.Keys} keys acted on, {campaign.CleanAnswers} of {campaign.AttackQueries} attack requests answered clean)";
}
