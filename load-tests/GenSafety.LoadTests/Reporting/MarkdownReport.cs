using System.Globalization;
using System.Text;

namespace GenSafety.LoadTests.Reporting;

/// <summary>Renders a <see cref="RunReport"/> as Markdown (padded, so it also reads as plain text on a console).</summary>
internal static class MarkdownReport
{
    public static string Render(RunReport report)
    {
        var md = new StringBuilder();
        var p = report.Parameters;
        var m = report.Machine;
        md.AppendLine("# GenSafety load-test baseline").AppendLine();
        md.AppendLine($"{m.StartedUtc}, {m.LogicalCores} logical cores ({m.Cpu}), {m.Os}, {m.Runtime}, commit {m.GitCommit ?? "n/a"}; " +
            $"load average {m.LoadAverageAtStart} at start, {m.LoadAverageAtEnd} at end.").AppendLine();
        md.AppendLine((p.Rate > 0
                ? $"Open loop at {p.Rate:0.###} requests per second (latency from each scheduled start), at most {p.Concurrency} in flight; per scenario"
                : $"Closed loop, {p.Concurrency} concurrent connections; per scenario") + $" and target {Seconds(p.WarmupSeconds)} warm-up, then " +
            $"{Seconds(p.DurationSeconds)} measured in {p.Rounds} interleaved slice(s). Upstream: {p.Upstream}" +
            (p.Upstream == "echo" && p.EchoStreamPauseMs > 0 ? $" ({p.EchoStreamPauseMs:0.###} ms pause after the first streamed token)" : string.Empty) + $"; children GC {p.Gc}, " +
            $"log level {p.ChildLogLevel}; max_tokens {p.MaxTokens}.").AppendLine();
        if (p.Gateways.Count > 0)
        {
            md.AppendLine("Gateways: " + string.Join("; ", p.Gateways.Select(g =>
                (g.Label == g.Target ? g.Target : $"{g.Target} \"{g.Label}\"") + " with " +
                (g.Args.Count > 0 ? $"args `{string.Join(' ', g.Args)}`" : "no extra args") +
                (p.Gateways.Select(x => x.Dll).Distinct().Count() > 1 ? $", build `{g.Dll}`" : string.Empty))) + ".").AppendLine();
        }

        if (p.GatewayStandIn)
        {
            md.AppendLine("**Every gateway target is the built-in echo stand-in (it answers itself, it does not proxy): this run tests the harness, " +
                "its gateway figures say nothing about the real gateway.**").AppendLine();
        }

        md.AppendLine("Latency is send to last byte. \"vs bare\" compares with bare YARP in the same run. CPU µs/req is the CPU time of the " +
            "target's own process (direct: the upstream) per completed request.").AppendLine();

        foreach (var scenario in report.Rows.Select(r => r.Scenario).Distinct())
        {
            md.AppendLine($"## {scenario}").AppendLine();
            AppendTable(md, ScenarioTable(report.Rows.Where(r => r.Scenario == scenario).ToList()));
            md.AppendLine();
            foreach (var pair in report.GatewayComparisons.Where(c => c.Scenario == scenario))
            {
                md.AppendLine(PairLine(pair, report.Rows)).AppendLine();
            }
        }

        if (report.Checks.Count > 0)
        {
            md.AppendLine("## Design targets (each gateway against bare YARP, this run)").AppendLine();
            AppendTable(md, [
                ["scenario", "gateway", "check", "measured", "target", "verdict"],
                .. report.Checks.Select(c => new[] { c.Scenario, c.Target, c.Check, Number(c.Measured, c.Unit == "x" ? "0.00" : "+0.000;-0.000;0.000") + " " + c.Unit, c.Limit, c.Pass ? "PASS" : "FAIL" }),
            ], textColumns: 3);
            md.AppendLine();
        }

        var errors = report.Rows.Where(r => r.ErrorKinds.Count > 0).ToList();
        if (errors.Count > 0)
        {
            md.AppendLine("## Errors").AppendLine();
            foreach (var row in errors)
            {
                md.AppendLine($"- {row.Scenario} / {row.Label}: " + string.Join(", ", row.ErrorKinds.OrderByDescending(e => e.Value).Select(e => $"{e.Key} x{e.Value}")));
            }

            md.AppendLine();
        }

        return md.ToString();
    }

    private static List<string[]> ScenarioTable(List<TargetRow> rows)
    {
        var streaming = rows.Any(r => r.FirstToken is not null);
        List<string> header = ["scenario", "target", "RPS", "p50 ms", "p99 ms", "p99.9 ms"];
        if (streaming)
        {
            header.AddRange(["TTFT p50 ms", "TTFT p99 ms"]);
        }

        header.AddRange(["errors", "RPS vs bare", "added p50 vs bare (ms)", "added p99 vs bare (ms)"]);
        if (streaming)
        {
            header.AddRange(["added TTFT p50 vs bare (ms)", "added TTFT p99 vs bare (ms)"]);
        }

        header.AddRange(["CPU µs/req", "CPU vs bare"]);

        var table = new List<string[]> { header.ToArray() };
        foreach (var r in rows)
        {
            var vs = r.VersusBare;
            List<string> cells = [r.Scenario, r.Label, Number(r.Rps, "0"), Ms(r.Latency.P50Ms), Ms(r.Latency.P99Ms), Ms(r.Latency.P999Ms)];
            if (streaming)
            {
                cells.AddRange([Ms(r.FirstToken?.P50Ms), Ms(r.FirstToken?.P99Ms)]);
            }

            cells.AddRange([r.Errors.ToString(CultureInfo.InvariantCulture), Ratio(vs?.RpsRatio), Added(vs?.AddedP50Ms), Added(vs?.AddedP99Ms)]);
            if (streaming)
            {
                cells.AddRange([Added(vs?.AddedFirstTokenP50Ms), Added(vs?.AddedFirstTokenP99Ms)]);
            }

            cells.AddRange([Number(r.CpuMicrosPerRequest, "0.0"), Ratio(vs?.CpuRatio)]);
            table.Add(cells.ToArray());
        }

        return table;
    }

    /// <summary>"gateway-b vs gateway: added p50 …, added p99 …, RPS ratio …, CPU µs/req delta …" (and added TTFT for streams).</summary>
    private static string PairLine(PairComparison pair, IReadOnlyList<TargetRow> rows)
    {
        string LabelOf(string target) => rows.FirstOrDefault(r => r.Target == target)?.Label ?? target;
        var vs = pair.Versus;
        var ttft = vs.AddedFirstTokenP50Ms is null && vs.AddedFirstTokenP99Ms is null
            ? string.Empty
            : $", added TTFT p50 {Added(vs.AddedFirstTokenP50Ms)} ms, added TTFT p99 {Added(vs.AddedFirstTokenP99Ms)} ms";
        return $"**{LabelOf(pair.Target)} vs {LabelOf(pair.Baseline)}** (same run): added p50 {Added(vs.AddedP50Ms)} ms, " +
            $"added p99 {Added(vs.AddedP99Ms)} ms, RPS ratio {Ratio(vs.RpsRatio)}, CPU µs/req delta {Number(vs.CpuMicrosPerRequestDelta, "+0.0;-0.0;0.0")}{ttft}";
    }

    /// <summary>The first <paramref name="textColumns"/> columns are left-aligned, the rest (numbers) right-aligned.</summary>
    private static void AppendTable(StringBuilder md, List<string[]> table, int textColumns = 2)
    {
        var widths = Enumerable.Range(0, table[0].Length).Select(c => table.Max(row => row[c].Length)).ToArray();
        for (var i = 0; i < table.Count; i++)
        {
            md.AppendLine("| " + string.Join(" | ", table[i].Select((cell, c) => i == 0 || c < textColumns ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))) + " |");
            if (i == 0)
            {
                md.AppendLine("|" + string.Join("|", widths.Select((w, c) => c < textColumns ? new string('-', w + 2) : new string('-', w + 1) + ":")) + "|");
            }
        }
    }

    private static string Ms(double? value) => Number(value, "0.000");

    private static string Added(double? value) => Number(value, "+0.000;-0.000;0.000");

    private static string Ratio(double? value) => value is null ? "n/a" : Number(value, "0.00") + "x";

    private static string Number(double? value, string format) =>
        value is not { } v || double.IsNaN(v) || double.IsInfinity(v) ? "n/a" : v.ToString(format, CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
