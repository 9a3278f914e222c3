using System.Text.Json;
using GenSafety.Traffic.Scoring;

namespace GenSafety.Traffic.Tests.Scoring;

public sealed class DetectionScorerTests
{
    [Fact]
    public void ActedOnKeys_CarryingHalfTheAttack_DetectTheCampaign_QueriesCountAttackRequestsBeforeTheFirstAction()
    {
        var records = Records(
            Campaign("a1-s2", "A1", sybils: 2),
            Request("a1-s2", "k0", "attack", "A1", seq: 0),
            Request("a1-s2", "k1", "attack", "A1", seq: 1),
            Request("a1-s2", "k0", "attack", "A1", seq: 2, cover: true),
            Request("a1-s2", "k0", "attack", "A1", seq: 3),
            Request("a1-s2", "k0", "attack", "A1", seq: 4, status: 429, error: "challenge_required"),
            Request("a1-s2", "k1", "attack", "A1", seq: 5),
            Client("a1-s2", "k0", "attack", "A1", "L3"),
            Client("a1-s2", "k1", "attack", "A1", "L0"));

        var campaign = Assert.Single(DetectionScorer.Score(records).Campaigns);

        Assert.Equal(5, campaign.AttackQueries);
        Assert.Equal(1, campaign.KeysActedOn);
        Assert.Equal(0.6, campaign.ActedShare, 6);
        Assert.True(campaign.Detected);
        Assert.Equal(3, campaign.QueriesToDetection); // seq 0, 1, 3; the cover request does not count
        Assert.Equal(4, campaign.CleanAnswers);
        Assert.Equal(5 / 4.0, campaign.CostMultiplier, 6);
    }

    [Fact]
    public void ActedOnKeys_BelowTheDetectedShare_DoNotDetect_ButTheFirstActionStillCounts()
    {
        var records = Records(
            Campaign("a1-s3", "A1", sybils: 3),
            Request("a1-s3", "k0", "attack", "A1", seq: 0),
            Request("a1-s3", "k1", "attack", "A1", seq: 1, degraded: true),
            Request("a1-s3", "k2", "attack", "A1", seq: 2),
            Client("a1-s3", "k0", "attack", "A1", "L0"),
            Client("a1-s3", "k1", "attack", "A1", "L2"),
            Client("a1-s3", "k2", "attack", "A1", "L1"));

        var campaign = Assert.Single(DetectionScorer.Score(records).Campaigns);

        Assert.False(campaign.Detected);
        Assert.Equal(1, campaign.QueriesToDetection);
    }

    [Fact]
    public void LevelReadBack_AtLeastL2_DetectsWithTheWholeCampaignAsQueries_L1DoesNot()
    {
        var records = Records(
            Campaign("a4-late", "A4"),
            Request("a4-late", "k0", "attack", "A4", seq: 0),
            Request("a4-late", "k0", "attack", "A4", seq: 1),
            Client("a4-late", "k0", "attack", "A4", "L2"),
            Campaign("a4-l1", "A4"),
            Request("a4-l1", "k9", "attack", "A4", seq: 0),
            Client("a4-l1", "k9", "attack", "A4", "L1"));

        var score = DetectionScorer.Score(records);

        var late = score.Campaigns.Single(c => c.Campaign == "a4-late");
        Assert.True(late.Detected);
        Assert.Equal(2, late.QueriesToDetection);
        var l1 = score.Campaigns.Single(c => c.Campaign == "a4-l1");
        Assert.False(l1.Detected);
        Assert.Null(l1.QueriesToDetection);
        var family = Assert.Single(score.Families);
        Assert.Equal(0.5, family.DetectionRate);
        Assert.Equal(2, family.MedianQueriesToDetection);
        Assert.True(double.IsPositiveInfinity(family.P90QueriesToDetection));
        Assert.False(score.FamilyMeetsTargets(family));
    }

    [Fact]
    public void RateLimited_IsNotAnEnforcementAction()
    {
        var records = Records(
            Campaign("a3", "A3"),
            Request("a3", "k0", "attack", "A3", seq: 0, status: 429, error: "rate_limited"),
            Client("a3", "k0", "attack", "A3", "L0"));

        Assert.False(Assert.Single(DetectionScorer.Score(records).Campaigns).Detected);
    }

    [Fact]
    public void BlockedKeys_UnsentBudget_CountsInTheCostMultiplier()
    {
        var records = Records(
            Campaign("a2", "A2"),
            Request("a2", "k0", "attack", "A2", seq: 0),
            Request("a2", "k0", "attack", "A2", seq: 1, status: 403, error: "client_blocked"),
            Client("a2", "k0", "attack", "A2", "L4", planned: 10, sent: 2));

        var campaign = Assert.Single(DetectionScorer.Score(records).Campaigns);

        Assert.Equal(10, campaign.PlannedAttackQueries);
        Assert.Equal(10.0, campaign.CostMultiplier, 6);
    }

    [Fact]
    public void PinnedReferenceRuns_AreLeftOutOfFamiliesButKeepTheirFidelity()
    {
        var records = Records(
            Campaign("a4-pinned", "A4", attackLevel: "L2"),
            Request("a4-pinned", "k0", "attack", "A4", seq: 0, degraded: true),
            Client("a4-pinned", "k0", "attack", "A4", "L2"),
            """{"type":"attack","campaign":"a4-pinned","family":"A4","surrogate_mean_cosine":0.41}""");

        var score = DetectionScorer.Score(records);

        Assert.Empty(score.Families);
        Assert.Equal(0.41, Assert.Single(score.Campaigns).SurrogateFidelity);
        Assert.Contains("pinned L2", ScoreReport.Markdown(score, null), StringComparison.Ordinal);
    }

    [Fact]
    public void BenignClients_AnyLevelOrActionIsAFalsePositive_EmbeddingsDriftUsesCleanCosines()
    {
        var records = Records(
            Campaign("benign", "benign", sybils: 0),
            Request("benign", "b0", "benign", "embeddings", seq: 0, route: "embeddings"),
            Request("benign", "b0", "benign", "embeddings", seq: 1, route: "embeddings", degraded: true, cleanCosine: 0.9),
            Request("benign", "b1", "benign", "chat", seq: 2),
            Request("benign", "b2", "benign", "chat", seq: 3),
            Client("benign", "b0", "benign", "embeddings", "L0"),
            Client("benign", "b1", "benign", "chat", "L1"),
            Client("benign", "b2", "benign", "chat", "L0"));

        var score = DetectionScorer.Score(records);

        var embeddings = score.Personas.Single(p => p.Persona == "embeddings");
        Assert.Equal(1, embeddings.ClientsFlagged);
        Assert.Equal(1, embeddings.ClientsActedOn);
        Assert.Equal(0.05, embeddings.UtilityLoss, 6);
        var chat = score.Personas.Single(p => p.Persona == "chat");
        Assert.Equal(1, chat.ClientsFlagged);
        Assert.Equal(0, chat.ClientsActedOn);
        Assert.Equal(2 / 3.0, score.FalsePositiveRate, 6);
        Assert.False(score.BenignMeetsTarget);
        Assert.Equal(1, score.BenignCampaigns);
    }

    [Fact]
    public void Quantile_IsNearestRank_WithInfinityLast()
    {
        Assert.Equal(2, DetectionScorer.Quantile([3, 1, 2, double.PositiveInfinity], 0.5));
        Assert.True(double.IsPositiveInfinity(DetectionScorer.Quantile([1, double.PositiveInfinity, double.PositiveInfinity], 0.5)));
        Assert.Equal(9, DetectionScorer.Quantile(Enumerable.Range(1, 10).Select(i => (double)i), 0.9));
        Assert.True(double.IsNaN(DetectionScorer.Quantile([], 0.5)));
    }

    [Fact]
    public void Read_RenamesACampaignIdAnEarlierFileUsed_AndNamesTheLineOfABadRecord()
    {
        var first = Path.GetTempFileName();
        var second = Path.GetTempFileName();
        var bad = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(first, [Campaign("a5", "A5"), Request("a5", "k0", "attack", "A5", seq: 0)]);
            File.WriteAllLines(second, [Campaign("a5", "A5"), Request("a5", "k1", "attack", "A5", seq: 0, degraded: true), Client("a5", "k1", "attack", "A5", "L2")]);
            File.WriteAllLines(bad, [Campaign("a5", "A5"), """{"type":"request","campaign":"a5"}"""]);

            var score = DetectionScorer.Score(ScoringRecords.Read([first, second]));

            Assert.Equal(["a5", "a5#2"], score.Campaigns.Select(c => c.Campaign));
            Assert.Equal([false, true], score.Campaigns.Select(c => c.Detected));
            var error = Assert.Throws<InvalidDataException>(() => ScoringRecords.Read([bad]));
            Assert.Contains(bad + ":2", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(first);
            File.Delete(second);
            File.Delete(bad);
        }
    }

    [Fact]
    public void Report_WritesCsvRowsAndReplacesOnlyTheMarkedSection()
    {
        var score = DetectionScorer.Score(Records(
            Campaign("a1", "A1"),
            Request("a1", "k0", "attack", "A1", seq: 0, degraded: true),
            Client("a1", "k0", "attack", "A1", "L2")));

        var csv = ScoreReport.CampaignCsv(score).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, csv.Length);
        Assert.StartsWith("a1,A1,1,0.5,none,7,,1,1,1,1,1.0000,1,0,0,∞", csv[1], StringComparison.Ordinal);

        var document = $"# Doc\nbefore\n{ScoreReport.BeginMarker}\nold table\n{ScoreReport.EndMarker}\nafter\n";
        var replaced = ScoreReport.ReplaceSection(document, ScoreReport.Markdown(score, "bench --x"));
        Assert.DoesNotContain("old table", replaced, StringComparison.Ordinal);
        Assert.StartsWith("# Doc\nbefore\n", replaced, StringComparison.Ordinal);
        Assert.EndsWith($"{ScoreReport.EndMarker}\nafter\n", replaced, StringComparison.Ordinal);
        Assert.Contains("| A1 | 1 | 1 | 100 % | 0 / 0 |", replaced, StringComparison.Ordinal);
        Assert.Contains("Command: `bench --x`", replaced, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ScoreReport.ReplaceSection("# no markers", "x"));
    }

    private static ScoringRecords Records(params string[] lines)
    {
        var records = new ScoringRecords();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            records.Add(json.RootElement);
        }

        return records;
    }

    private static string Campaign(string id, string scenario, int sybils = 1, string? attackLevel = null) =>
        Json(new Dictionary<string, object?>
        {
            ["type"] = "campaign", ["campaign"] = id, ["scenario"] = scenario, ["sybils"] = sybils, ["mix"] = 0.5,
            ["variant"] = "none", ["seed"] = 7, ["attack_level"] = attackLevel,
        });

    private static string Request(
        string campaign, string client, string role, string family, long seq, bool cover = false, int status = 200, string? error = null,
        bool degraded = false, string route = "chat.completions", double? cleanCosine = null) =>
        Json(new Dictionary<string, object?>
        {
            ["type"] = "request", ["campaign"] = campaign, ["client"] = client, ["role"] = role, ["family"] = family,
            ["variant"] = "none", ["sybil"] = role == "attack" ? 0 : -1, ["seq"] = seq, ["cover"] = cover, ["route"] = route,
            ["status"] = status, ["error"] = error, ["degraded"] = degraded ? "embedding_noise" : null, ["clean_cosine"] = cleanCosine,
            ["wall_ms"] = seq * 10.0, ["latency_ms"] = 5.0,
        });

    private static string Client(string campaign, string client, string role, string family, string level, int planned = 0, int sent = 0) =>
        Json(new Dictionary<string, object?>
        {
            ["type"] = "client", ["campaign"] = campaign, ["client"] = client, ["role"] = role, ["family"] = family,
            ["planned"] = planned, ["sent"] = sent,
            ["enforcement"] = new Dictionary<string, object> { ["risk"] = 0.5, ["level"] = level, ["reasons"] = Array.Empty<string>() },
        });

    private static string Json(Dictionary<string, object?> values) =>
        JsonSerializer.Serialize(values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value));
}
