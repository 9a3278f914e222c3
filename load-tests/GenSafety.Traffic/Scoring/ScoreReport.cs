using System.Globalization;
using System.Text;

namespace GenSafety.Traffic.Scoring;

/// <summary>Writes a <see cref="DetectionScore"/> as CSV (one row per campaign, one per persona) and as markdown tables.</summary>
public static class ScoreReport
{
    /// <summary>Marker before the generated tables in a markdown file.</summary>
    public const string BeginMarker = "<!-- detection-benchmark:results:begin -->";

    /// <summary>Marker after the generated tables.</summary>
    public const string EndMarker = "<!-- detection-benchmark:results:end -->";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>One row per attack campaign.</summary>
    public static string CampaignCsv(DetectionScore score)
    {
        var csv = new StringBuilder("campaign,family,sybils,mix,variant,seed,pinned_level,attack_queries,planned_attack_queries,keys,keys_acted_on,acted_share,detected,queries_to_detection,clean_answers,cost_multiplier,surrogate_fidelity,wall_s\n");
        foreach (var c in score.Campaigns)
        {
            csv.AppendLine(string.Create(C,
                $"{c.Campaign},{c.Family},{c.Sybils},{c.Mix},{c.Variant},{c.Seed},{c.PinnedLevel},{c.AttackQueries},{c.PlannedAttackQueries},{c.Keys},{c.KeysActedOn},{c.ActedShare:F4},{(c.Detected ? 1 : 0)},{c.QueriesToDetection?.ToString(C) ?? string.Empty},{c.CleanAnswers},{Number(c.CostMultiplier, "F3")},{c.SurrogateFidelity?.ToString("F4", C) ?? string.Empty},{c.WallSeconds:F1}"));
        }

        return csv.ToString();
    }

    /// <summary>One row per benign persona.</summary>
    public static string PersonaCsv(DetectionScore score)
    {
        var csv = new StringBuilder("persona,clients,clients_flagged,clients_acted_on,false_positive_rate,requests,requests_acted_on,embedding_requests,embedding_cosine,utility_loss\n");
        foreach (var p in score.Personas)
        {
            csv.AppendLine(string.Create(C,
                $"{p.Persona},{p.Clients},{p.ClientsFlagged},{p.ClientsActedOn},{p.FalsePositiveRate:F6},{p.Requests},{p.RequestsActedOn},{p.EmbeddingRequests},{p.EmbeddingCosine?.ToString("F6", C) ?? string.Empty},{p.UtilityLoss:F6}"));
        }

        return csv.ToString();
    }

    /// <summary>The tables: targets per family and for benign clients, then per persona, then per cell.</summary>
    public static string Markdown(DetectionScore score, string? command)
    {
        var t = score.Targets;
        var md = new StringBuilder();
        md.AppendLine(string.Create(C,
            $"{score.Campaigns.Count(c => c.PinnedLevel is null)} attack campaigns and {score.BenignCampaigns} benign-only campaigns, {score.BenignClients:N0} benign clients; campaigns ran for {score.WallSeconds / 60:F1} min in all."));
        if (command is not null)
        {
            md.AppendLine().AppendLine(string.Create(C, $"Command: `{command}`"));
        }

        md.AppendLine().AppendLine(string.Create(C,
            $"| attack | campaigns | detected | rate (target ≥ {t.DetectionRate:P0}) | queries to detection, median (target ≤ {t.MedianQueriesToDetection:N0}) / p90 | cost multiplier, median | clean answers | targets |"));
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var f in score.Families)
        {
            md.AppendLine(string.Create(C,
                $"| {f.Key} | {f.Campaigns} | {f.Detected} | {f.DetectionRate:P0} | {Number(f.MedianQueriesToDetection, "N0")} / {Number(f.P90QueriesToDetection, "N0")} | {Number(f.MedianCostMultiplier, "F2")}× | {f.CleanShare:P1} | {(score.FamilyMeetsTargets(f) ? "met" : "**not met**")} |"));
        }

        md.AppendLine().AppendLine(string.Create(C,
            $"Benign: {score.BenignFlagged} of {score.BenignClients:N0} clients flagged, false-positive rate {score.FalsePositiveRate:P2} (target ≤ {t.FalsePositiveRate:P1}, resolution 1/{Math.Max(1, score.BenignClients):N0}): {(score.BenignMeetsTarget ? "met" : "**not met**")}."));
        md.AppendLine().AppendLine("| persona | clients | flagged (≥ L1) | acted on (≥ L2) | false-positive rate | requests acted on | utility loss |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var p in score.Personas)
        {
            var loss = p.EmbeddingCosine is { } cosine
                ? string.Create(C, $"{1 - cosine:P3} cosine drift ({p.EmbeddingRequests:N0} answers)")
                : string.Create(C, $"{p.UtilityLoss:P2} of requests");
            md.AppendLine(string.Create(C,
                $"| {p.Persona} | {p.Clients:N0} | {p.ClientsFlagged} | {p.ClientsActedOn} | {p.FalsePositiveRate:P2} | {p.RequestsActedOn:N0} of {p.Requests:N0} | {loss} |"));
        }

        md.AppendLine().AppendLine("| cell (family, keys, mix %, variant) | campaigns | detected | queries to detection, median | cost multiplier, median | clean answers |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var c in score.Cells)
        {
            md.AppendLine(string.Create(C,
                $"| {c.Key} | {c.Campaigns} | {c.Detected} | {Number(c.MedianQueriesToDetection, "N0")} | {Number(c.MedianCostMultiplier, "F2")}× | {c.CleanShare:P1} |"));
        }

        var fidelity = score.Campaigns.Where(c => c.SurrogateFidelity is not null).ToList();
        if (fidelity.Count > 0)
        {
            md.AppendLine().AppendLine("| A4 campaign | attacker keys' level | attack queries | keys acted on | clean answers | surrogate fidelity (held-out cosine) |");
            md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: |");
            foreach (var c in fidelity)
            {
                var level = c.PinnedLevel is { } pinned ? $"pinned {pinned}" : "as detected";
                md.AppendLine(string.Create(C, $"| {c.Campaign} | {level} | {c.AttackQueries:N0} | {c.KeysActedOn} of {c.Keys} | {c.CleanAnswers:N0} | {c.SurrogateFidelity:F4} |"));
            }
        }

        return md.ToString();
    }

    /// <summary>
    /// <paramref name="document"/> with the text between <see cref="BeginMarker"/> and <see cref="EndMarker"/>
    /// replaced by <paramref name="tables"/>; an error when the markers are missing or out of order.
    /// </summary>
    public static string ReplaceSection(string document, string tables) => ReplaceSection(document, tables, BeginMarker, EndMarker);

    /// <summary>
    /// <paramref name="document"/> with the text between <paramref name="beginMarker"/> and <paramref name="endMarker"/>
    /// replaced by <paramref name="tables"/>; an error when the markers are missing or out of order.
    /// </summary>
    public static string ReplaceSection(string document, string tables, string beginMarker, string endMarker)
    {
        var begin = document.IndexOf(beginMarker, StringComparison.Ordinal);
        var end = document.IndexOf(endMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidDataException($"The document has no '{beginMarker}' … '{endMarker}' section to write the tables into.");
        }

        var start = begin + beginMarker.Length;
        return document[..start] + "\n" + tables.TrimEnd('\n') + "\n" + document[end..];
    }

    private static string Number(double value, string format) =>
        double.IsPositiveInfinity(value) ? "∞" : double.IsNaN(value) ? "–" : value.ToString(format, C);
}
