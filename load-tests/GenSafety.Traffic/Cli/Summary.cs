using System.Globalization;
using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Labels;

namespace GenSafety.Traffic.Cli;

/// <summary>The human-readable lines <c>run</c> prints per campaign.</summary>
public static class Summary
{
    /// <summary>Writes the campaign's summary to <paramref name="output"/>.</summary>
    public static void Write(TextWriter output, CampaignOutcome outcome, IReadOnlyList<ClientSummary> clients, AttackReport? report)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"== {outcome.Campaign.Id}: {outcome.Requests.Count} requests in {outcome.Elapsed.TotalSeconds:F1} s (virtual span {outcome.Campaign.SpanSeconds:F0} s)"));
        output.WriteLine("| role | family | clients | sent | 2xx | degraded | 403 | 429 | other | clients acted on | level ≥ L1 |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in clients.GroupBy(s => (s.Role, s.Family)).OrderBy(g => g.Key.Role).ThenBy(g => g.Key.Family, StringComparer.Ordinal))
        {
            var requests = outcome.Requests.Where(r => r.Role == group.Key.Role && r.Family == group.Key.Family).ToList();
            var leveled = group.Count(s => s.Enforcement is { Level: not "L0" });
            output.WriteLine(string.Create(c,
                $"| {group.Key.Role} | {group.Key.Family} | {group.Count()} | {requests.Count} | {requests.Count(r => r.Status is >= 200 and < 300)} | {requests.Count(r => r.Degraded is not null)} | {requests.Count(r => r.Status == 403)} | {requests.Count(r => r.Status == 429)} | {requests.Count(r => r.Status is not (>= 200 and < 300) and not 403 and not 429)} | {group.Count(s => s.FirstActionSeq is not null)} | {(group.Any(s => s.Enforcement is not null) ? leveled.ToString(c) : "-")} |"));
        }

        if (report is not null)
        {
            output.WriteLine(Describe(report));
        }

        output.WriteLine();
    }

    /// <summary>One line on what the attack got.</summary>
    public static string Describe(AttackReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var head = string.Create(c, $"{report.Family}: {report.Queries} queries, {report.Answered} answered, {report.Degraded} degraded; ");
        return head + report switch
        {
            Attacks.Logits.HiddenSizeReport { Rows: 0 } h => string.Create(c,
                $"no usable logit data ({h.CellsFilled} cells of {h.Prompts} prompts × {h.Tokens - 1} tokens): nothing to analyse"),
            Attacks.Logits.HiddenSizeReport h => string.Create(c,
                $"SVD on {h.Rows}×{h.Columns} (of {h.Prompts} prompts × {h.Tokens - 1} tokens, {h.CellsFilled} cells): {(h.Conclusive ? $"recovered d = {h.RecoveredHiddenSize}, cliff σ_d/σ_d+1 = {h.GapRatio:G3}" : $"no rank cliff (largest drop {h.GapRatio:G3}): d ≥ {h.RecoveredHiddenSize}, or the data are too noisy")}"),
            HarvestReport a => string.Create(c,
                $"{a.GenerationRequests} template requests, {a.InstructionsKept} instructions kept ({a.InstructionsDropped} near-duplicates), {a.AnswerRequests} answers, {a.HarvestedCompletionTokens} completion tokens"),
            Attacks.Encoder.EncoderReport e => string.Create(c,
                $"{e.PairsCollected} (text, embedding) pairs; surrogate mean cosine on {e.HeldOut?.ToString(c) ?? "-"} held-out texts: {(e.SurrogateMeanCosine is { } m ? string.Create(c, $"{m:F4} (mean-embedding floor {e.MeanEmbeddingCosine:F4})") : "not scored (no oracle)")}"),
            DivergenceReport d => string.Create(c,
                $"{d.RepeatPrompts} repeat prompts, {d.Diverged} diverged, {d.PrefixPrompts} prefix prompts, {d.DistinctExtracts} distinct extracts ({d.ExtractedChars} chars)"),
            _ => string.Empty,
        };
    }
}
