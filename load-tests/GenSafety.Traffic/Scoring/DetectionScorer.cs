using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Labels;

namespace GenSafety.Traffic.Scoring;

/// <summary>Targets of issue 4's acceptance, and the share of attack requests that makes a campaign detected.</summary>
/// <param name="DetectedShare">A campaign is detected when the keys acted on sent at least this share of its attack requests.</param>
/// <param name="DetectionRate">Every family must be detected in at least this share of its campaigns.</param>
/// <param name="MedianQueriesToDetection">Every family's median queries to detection must be at most this.</param>
/// <param name="FalsePositiveRate">Benign clients flagged, at most this share.</param>
public sealed record ScoringTargets(double DetectedShare = 0.5, double DetectionRate = 0.95, double MedianQueriesToDetection = 1000, double FalsePositiveRate = 0.001);

/// <summary>The scored benchmark: every attack campaign, every family and matrix cell, every benign persona.</summary>
/// <param name="Targets">What it is scored against.</param>
/// <param name="Campaigns">Attack campaigns, pinned reference runs included.</param>
/// <param name="Families">Per attack family (pinned reference runs left out, as in <paramref name="Cells"/>).</param>
/// <param name="Cells">Per family × sybils × mix × variant.</param>
/// <param name="Personas">Per benign persona.</param>
/// <param name="BenignCampaigns">Campaigns without an attacker.</param>
/// <param name="WallSeconds">Wall time of all campaigns together.</param>
public sealed record DetectionScore(
    ScoringTargets Targets, IReadOnlyList<CampaignScore> Campaigns, IReadOnlyList<GroupScore> Families, IReadOnlyList<GroupScore> Cells,
    IReadOnlyList<PersonaScore> Personas, int BenignCampaigns, double WallSeconds)
{
    /// <summary>Benign clients over the whole matrix.</summary>
    public int BenignClients => Personas.Sum(p => p.Clients);

    /// <summary>Benign clients flagged, over all personas.</summary>
    public int BenignFlagged => Personas.Sum(p => p.ClientsFlagged);

    /// <summary>False-positive rate over all benign clients.</summary>
    public double FalsePositiveRate => BenignClients == 0 ? 0 : BenignFlagged / (double)BenignClients;

    /// <summary>Whether <paramref name="family"/> meets the detection-rate and queries-to-detection targets.</summary>
    public bool FamilyMeetsTargets(GroupScore family) =>
        family.DetectionRate >= Targets.DetectionRate && family.MedianQueriesToDetection <= Targets.MedianQueriesToDetection;

    /// <summary>Whether the benign false-positive rate meets its target.</summary>
    public bool BenignMeetsTarget => FalsePositiveRate <= Targets.FalsePositiveRate;
}

/// <summary>Scores the records of <c>run</c> against the gateway (definitions in docs/detection.md, "Detection benchmark").</summary>
public static class DetectionScorer
{
    /// <summary>Scores <paramref name="records"/>.</summary>
    public static DetectionScore Score(ScoringRecords records, ScoringTargets? targets = null)
    {
        targets ??= new ScoringTargets();
        var requests = records.Requests.ToLookup(r => r.Campaign);
        var clients = records.Clients.ToLookup(c => c.Campaign);
        var fidelity = records.Attacks.Where(a => a.SurrogateMeanCosine is not null).ToDictionary(a => a.Campaign, a => a.SurrogateMeanCosine);
        var campaigns = records.Campaigns
            .Where(c => c.Scenario != CampaignSpec.BenignOnly)
            .Select(c => ScoreCampaign(c, [.. requests[c.Id]], [.. clients[c.Id]], fidelity.GetValueOrDefault(c.Id), targets))
            .ToList();
        var detection = campaigns.Where(c => c.PinnedLevel is null).ToList();
        var families = detection.GroupBy(c => c.Family).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, [.. g])).ToList();
        var cells = detection
            .GroupBy(c => (c.Family, c.Sybils, c.Mix, c.Variant))
            .OrderBy(g => g.Key.Family, StringComparer.Ordinal).ThenBy(g => g.Key.Sybils).ThenBy(g => g.Key.Mix).ThenBy(g => IndexOf(Variants.All, g.Key.Variant))
            .Select(g => Group(FormattableString.Invariant($"{g.Key.Family} s{g.Key.Sybils} m{Math.Round(g.Key.Mix * 100):0} {g.Key.Variant}"), [.. g]))
            .ToList();
        var wall = records.Campaigns.Sum(c => WallSeconds([.. requests[c.Id]]));
        return new DetectionScore(targets, campaigns, families, cells, ScorePersonas(records), records.Campaigns.Count(c => c.Scenario == CampaignSpec.BenignOnly), wall);
    }

    /// <summary>Nearest-rank quantile (the value at rank ⌈q·n⌉); +∞ values sort last; NaN when empty.</summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static CampaignScore ScoreCampaign(CampaignLine campaign, List<RequestLine> requests, List<ClientLine> clients, double? fidelity, ScoringTargets targets)
    {
        var attack = requests.Where(r => r.Role == Roles.Attack).OrderBy(r => r.Seq).ToList();
        var attackQueries = attack.Where(r => !r.Cover).ToList();
        var sentPerKey = attackQueries.GroupBy(r => r.Client).ToDictionary(g => g.Key, g => g.Count());
        var actedByAnswer = attack.Where(r => r.Acted).Select(r => r.Client).ToHashSet();
        var actedByLevel = clients.Where(c => c.Role == Roles.Attack && c.Level >= 2).Select(c => c.Client);
        var actedKeys = actedByAnswer.Union(actedByLevel).ToHashSet();
        var actedShare = attackQueries.Count == 0 ? 0 : actedKeys.Sum(k => sentPerKey.GetValueOrDefault(k)) / (double)attackQueries.Count;
        var firstAction = attack.FirstOrDefault(r => r.Acted);
        int? queriesToDetection = firstAction is not null
            ? attackQueries.Count(r => r.Seq < firstAction.Seq)
            : actedKeys.Count > 0 ? attackQueries.Count : null;
        // A blocked key stops sending: what it had left is budget the attacker lost, not budget it did not need.
        var blocked = attack.Where(r => r.Error == "client_blocked").Select(r => r.Client).ToHashSet();
        var unsent = clients.Where(c => blocked.Contains(c.Client)).Sum(c => Math.Max(0, c.Planned - c.Sent));
        return new CampaignScore(
            campaign.Id, campaign.Scenario, campaign.Sybils, campaign.Mix, campaign.Variant, campaign.Seed,
            attackQueries.Count, attackQueries.Count + unsent,
            attack.Select(r => r.Client).Distinct().Count(), actedKeys.Count, actedShare,
            attackQueries.Count > 0 && actedShare >= targets.DetectedShare, queriesToDetection,
            attackQueries.Count(r => r.AnsweredClean), WallSeconds(requests), fidelity, campaign.AttackLevel);
    }

    private static GroupScore Group(string key, List<CampaignScore> campaigns)
    {
        var sent = campaigns.Sum(c => c.AttackQueries);
        return new GroupScore(
            key, campaigns.Count, campaigns.Count(c => c.Detected),
            Quantile(campaigns.Select(c => c.QueriesToDetectionOrInfinity), 0.5),
            Quantile(campaigns.Select(c => c.QueriesToDetectionOrInfinity), 0.9),
            Quantile(campaigns.Select(c => c.CostMultiplier), 0.5),
            sent == 0 ? 0 : campaigns.Sum(c => c.CleanAnswers) / (double)sent);
    }

    private static List<PersonaScore> ScorePersonas(ScoringRecords records)
    {
        var benignRequests = records.Requests.Where(r => r.Role == Roles.Benign).ToLookup(r => (r.Campaign, r.Client));
        return [.. records.Clients
            .Where(c => c.Role == Roles.Benign)
            .GroupBy(c => c.Family)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var perClient = g.Select(c => (Client: c, Requests: benignRequests[(c.Campaign, c.Client)].ToList())).ToList();
                var all = perClient.SelectMany(p => p.Requests).ToList();
                // Undegraded answers are the upstream's vectors (cosine 1); degraded ones without an oracle are left out.
                var embeddings = all.Where(r => r.Route == "embeddings" && r.Status is >= 200 and < 300)
                    .Select(r => r.Degraded ? r.CleanCosine : 1.0).OfType<double>().ToList();
                return new PersonaScore(
                    g.Key,
                    perClient.Count,
                    perClient.Count(p => p.Client.Level >= 1 || p.Requests.Exists(r => r.Acted)),
                    perClient.Count(p => p.Client.Level >= 2 || p.Requests.Exists(r => r.Acted)),
                    all.Count,
                    all.Count(r => r.Acted),
                    embeddings.Count,
                    embeddings.Count == 0 ? null : embeddings.Average());
            })];
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return list.Count;
    }

    private static double WallSeconds(List<RequestLine> requests) =>
        requests.Count == 0 ? 0 : requests.Max(r => r.WallMs + r.LatencyMs) / 1000;
}
