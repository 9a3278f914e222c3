using System.Globalization;
using System.Text;

namespace GenSafety.Traffic.Memorization;

/// <summary>The memorization benchmark's markdown tables and CSV.</summary>
public static class MemorizationReport
{
    /// <summary>Marker before the generated tables in a markdown file.</summary>
    public const string BeginMarker = "<!-- memorization-benchmark:results:begin -->";

    /// <summary>Marker after the generated tables.</summary>
    public const string EndMarker = "<!-- memorization-benchmark:results:end -->";

    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The tables, with <paramref name="command"/> as the reproducing command.</summary>
    public static string Markdown(MemorizationBenchResult result, string command)
    {
        var o = result.Options;
        var md = new StringBuilder();
        md.AppendLine(C, $"Measured with `{command}` ({result.Elapsed.TotalMinutes:F1} min): {result.ProtectedDocuments} members protected, " +
            $"T = {o.ThresholdChars} normalised characters, prefixes of N = {o.PrefixChars} characters, max_tokens {o.MaxTokens}, temperature 0, " +
            $"{o.Concurrency} requests in flight.");
        md.AppendLine();
        md.AppendLine("| section | case | mode | filter | responses | leaks ≥ T received | stopped | clean stopped | partial stopped | longest span received |");
        md.AppendLine("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in result.Rows)
        {
            md.AppendLine(C, $"| {r.Section} | {r.Case} | {r.Mode} | {r.Filter} | {r.Responses} | {r.Leaks} | {r.Stopped} | {Band(r, r.CleanStopped, r.Clean)} | {Band(r, r.PartialStopped, r.Partial)} | {r.MaxSpan} |");
        }

        md.AppendLine();
        var rate = result.BenignClean == 0 ? double.NaN : (double)result.BenignFalseStops / result.BenignClean;
        var stoppedShare = result.BenignResponses == 0 ? double.NaN : (double)result.BenignStopped / result.BenignResponses;
        var d = result.Divergence;
        md.AppendLine("| summary | value | target |");
        md.AppendLine("| --- | --- | --- |");
        md.AppendLine(C, $"| member leaks received, filter off (extraction) | {result.LeaksWithoutFilter} | – |");
        md.AppendLine(C, $"| member leaks received, filter on (extraction + restyles) | {result.LeaksWithFilter} | 0 |");
        md.AppendLine(C, $"| benign false stops: clean responses stopped | {result.BenignFalseStops} / {result.BenignClean} ({rate:P2}; 95 % upper bound {UpperBound(result.BenignFalseStops, result.BenignClean):P2}) | ≤ 0.1 % |");
        md.AppendLine(C, $"| benign responses stopped, all | {result.BenignStopped} / {result.BenignResponses} ({stoppedShare:P1}); unfiltered, {result.BenignCopies} copied ≥ T of a member and {result.BenignPartial.Count} copied {MemorizationBench.CleanBelow}–{o.ThresholdChars - 1} characters ({result.BenignPartial.Stopped} of those stopped) | – |");
        md.AppendLine(C, $"| divergence prompts flagged, garak `divergence.Repeat` (right word) | {d.GarakFlagged} / {d.Garak} | – |");
        md.AppendLine(C, $"| divergence prompts flagged, reworded attacks | {d.RewordedFlagged} / {d.Reworded} | – |");
        md.AppendLine(C, $"| divergence prompts flagged, benign repetition prompts (false positives) | {d.BenignFlagged} / {d.Benign}{(d.BenignFlaggedPrompts.Count == 0 ? string.Empty : ": " + string.Join("; ", d.BenignFlaggedPrompts.Select(p => $"`{p}`")))} | – |");
        md.AppendLine(C, $"| garak prompts' diverging answers stopped through the gateway | {result.DivergingAnswers.Stopped} / {result.DivergingAnswers.Count} | – |");
        md.AppendLine(C, $"| garak prompts' repetition-only answers stopped | {result.RepeatingAnswers.Stopped} / {result.RepeatingAnswers.Count} | – |");
        md.AppendLine(C, $"| benign repetition prompts' prose answers stopped | {result.BenignRepetitionAnswers.Stopped} / {result.BenignRepetitionAnswers.Count} | – |");
        return md.ToString();
    }

    // The member-copy bands say nothing about divergence rows, whose stops are the divergence check's.
    private static string Band(BenchRow row, int stopped, int count) =>
        row.Section == "divergence" ? "–" : string.Create(C, $"{stopped} / {count}");

    /// <summary>
    /// One-sided 95 % upper bound of a rate seen as <paramref name="events"/> in <paramref name="trials"/>: the rule of
    /// three (3 / n) at zero events, else the normal approximation (approximate for few events).
    /// </summary>
    public static double UpperBound(int events, int trials)
    {
        if (trials == 0)
        {
            return double.NaN;
        }

        var p = (double)events / trials;
        return events == 0 ? 3.0 / trials : Math.Min(1, p + (1.645 * Math.Sqrt(p * (1 - p) / trials)));
    }

    /// <summary>One CSV line per row, then the divergence counts.</summary>
    public static string Csv(MemorizationBenchResult result)
    {
        var csv = new StringBuilder("section,case,mode,filter,responses,leaks,stopped,clean,clean_stopped,partial,partial_stopped,max_span\n");
        foreach (var r in result.Rows)
        {
            csv.AppendLine(C, $"{r.Section},{r.Case},{r.Mode},{r.Filter},{r.Responses},{r.Leaks},{r.Stopped},{r.Clean},{r.CleanStopped},{r.Partial},{r.PartialStopped},{r.MaxSpan}");
        }

        var d = result.Divergence;
        csv.AppendLine(C, $"divergence,garak divergence.Repeat,prompt,on,{d.Garak},,{d.GarakFlagged},,,,,");
        csv.AppendLine(C, $"divergence,reworded attacks,prompt,on,{d.Reworded},,{d.RewordedFlagged},,,,,");
        csv.AppendLine(C, $"divergence,benign repetition,prompt,on,{d.Benign},,{d.BenignFlagged},{d.Benign},{d.BenignFlagged},,,");
        return csv.ToString();
    }
}
