using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using GenSafety.Traffic.Bench;
using GenSafety.Traffic.Cli;
using GenSafety.Traffic.Gateway;

namespace GenSafety.Traffic.Memorization;

/// <summary>
/// The memorization benchmark through real gateways: the reference model (in process) behind one gateway with the
/// filter off and one with it on, and a scripted upstream serving restyled member text and divergence answers behind
/// a third (filter on) and a fourth (filter and prompt check on). Every member is protected through
/// <c>POST /admin/protected/text</c>; each probe goes to the unfiltered and the filtered side, and what the client
/// received is measured with <see cref="VerbatimSpanIndex"/>. Detection is off everywhere and the prompt check is off
/// except on the fourth, so that only the output filter acts (prompt signals move the client up the ladder).
/// </summary>
public static class MemorizationBench
{
    /// <summary>
    /// Unfiltered outputs sharing fewer normalised characters than this with every member are clean: 2w − 1 for the
    /// gateway's default n-gram width w = 50, the shortest copy that holds a whole indexed n-gram.
    /// </summary>
    public const int CleanBelow = 99;

    /// <summary>Runs the benchmark; <paramref name="log"/> gets progress lines.</summary>
    public static async Task<MemorizationBenchResult> RunAsync(MemorizationBenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var members = ReferenceCorpus.Members;
        var sampled = members.Take(options.Members).ToList();
        var (restyleProbes, answers) = BenchPrompts.Restyled(sampled, options.PrefixChars);
        var (divergenceProbes, divergenceAnswers) = BenchPrompts.Divergence(ReferenceCorpus.NonMembers);
        foreach (var (key, text) in divergenceAnswers)
        {
            answers[key] = text;
        }

        var (model, modelUrl) = await ReferenceModelHosting.StartAsync(_ => { }, cancellationToken);
        await using var stopModel = new Cleanup(async () =>
        {
            await model.StopAsync(CancellationToken.None);
            await model.DisposeAsync();
        });
        await using var scripted = await ScriptedUpstream.StartAsync(answers, cancellationToken);
        string[] common =
        [
            "--GenSafety:Detection:Enabled=false",
            "--GenSafety:Memorization:PromptCheck=false",
            $"--GenSafety:Memorization:ThresholdChars={options.ThresholdChars}",
        ];
        var starts = new[]
        {
            GatewayProcess.StartAsync(options.GatewayDll, modelUrl, [.. common, "--GenSafety:Memorization:Enabled=false"], cancellationToken),
            GatewayProcess.StartAsync(options.GatewayDll, modelUrl, common, cancellationToken),
            GatewayProcess.StartAsync(options.GatewayDll, scripted.Url, common, cancellationToken),
            GatewayProcess.StartAsync(options.GatewayDll, scripted.Url, [.. common, "--GenSafety:Memorization:PromptCheck=true"], cancellationToken),
        };
        await Task.WhenAll(starts.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        var gateways = starts.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result).ToList();
        try
        {
            if (gateways.Count < starts.Length)
            {
                await Task.WhenAll(starts);
            }

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency * 2 }) { Timeout = TimeSpan.FromSeconds(120) };
            var probes = new List<CompletionProbe>();
            foreach (var gateway in gateways)
            {
                await ProtectAsync(http, gateway, members, cancellationToken);
                var key = await Admin(http, gateway).CreateClientAsync("membench", null, "memorization benchmark", cancellationToken);
                probes.Add(new CompletionProbe(http, gateway.PublicUrl, key, options.MaxTokens));
            }

            log.WriteLine($"gateways up (filter off, on, on in front of the scripted upstream, the same with the prompt check); {members.Count} members protected on each");
            var rows = new List<BenchRow>();
            var extraction = BenchPrompts.Extraction(sampled, options.PrefixChars).ToList();
            rows.AddRange(await MeasureAsync(extraction, _ => probes[0], _ => probes[1], options, log, cancellationToken));
            var direct = new CompletionProbe(http, scripted.Url, null, options.MaxTokens);
            rows.AddRange(await MeasureAsync(restyleProbes, _ => direct, _ => probes[2], options, log, cancellationToken));
            var benign = BenchPrompts.Benign(ReferenceCorpus.NonMembers, options.PrefixChars, options.Benign, options.Seed);
            rows.AddRange(await MeasureAsync(benign, _ => probes[0], _ => probes[1], options, log, cancellationToken));

            // A client of its own per divergence probe: the prompt check raises the client's risk, and the next
            // probe must not meet the enforcement ladder instead of the output check.
            var checking = gateways[3];
            var keys = new string[divergenceProbes.Count];
            await Parallel.ForAsync(0, keys.Length, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
                keys[i] = await Admin(http, checking).CreateClientAsync($"membench-divergence-{i}", null, "memorization benchmark, divergence", ct));
            rows.AddRange(await MeasureAsync(divergenceProbes, _ => direct, i => new CompletionProbe(http, checking.PublicUrl, keys[i], options.MaxTokens), options, log, cancellationToken));
            return new MemorizationBenchResult(options, rows, DivergencePromptSet.Score(), members.Count, watch.Elapsed);
        }
        finally
        {
            foreach (var gateway in gateways)
            {
                await gateway.DisposeAsync();
            }
        }
    }

    private static GatewayAdmin Admin(HttpClient http, GatewayProcess gateway) => new(http, gateway.AdminUrl, gateway.AdminToken, "default");

    private static async Task ProtectAsync(HttpClient http, GatewayProcess gateway, IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.AdminUrl, "admin/protected/text"))
        {
            Content = JsonContent.Create(new { documents = members.Select((text, i) => new { id = $"member-{i:D4}", text }) }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", gateway.AdminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new GatewayAdminException($"POST /admin/protected/text answered HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    // Each probe through the unfiltered and the filtered side; two rows (off, on) per section, case and mode.
    private static async Task<List<BenchRow>> MeasureAsync(
        IReadOnlyList<BenchProbe> probes, Func<int, CompletionProbe> unfiltered, Func<int, CompletionProbe> filtered, MemorizationBenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var index = MemberIndex.Value;
        var outcomes = new (int SpanOff, bool StoppedOff, int SpanOn, bool StoppedOn)[probes.Count];
        await Parallel.ForAsync(0, probes.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var probe = probes[i];
            var off = await SendAsync(unfiltered(i), probe, ct);
            var on = await SendAsync(filtered(i), probe, ct);
            outcomes[i] = (index.LongestSpan(off.Text), off.Stopped, index.LongestSpan(on.Text), on.Stopped);
        });
        var rows = new List<BenchRow>();
        var t = options.ThresholdChars;
        foreach (var group in probes.Select((p, i) => (Probe: p, Outcome: outcomes[i])).GroupBy(x => (x.Probe.Section, x.Probe.Case, x.Probe.Mode)))
        {
            var items = group.ToList();
            var clean = items.Where(x => x.Outcome.SpanOff < CleanBelow).ToList();
            var partial = items.Where(x => x.Outcome.SpanOff >= CleanBelow && x.Outcome.SpanOff < t).ToList();
            rows.Add(new BenchRow(group.Key.Section, group.Key.Case, group.Key.Mode, "off", items.Count,
                items.Count(x => x.Outcome.SpanOff >= t), items.Count(x => x.Outcome.StoppedOff),
                clean.Count, clean.Count(x => x.Outcome.StoppedOff), partial.Count, partial.Count(x => x.Outcome.StoppedOff), items.Max(x => x.Outcome.SpanOff)));
            rows.Add(new BenchRow(group.Key.Section, group.Key.Case, group.Key.Mode, "on", items.Count,
                items.Count(x => x.Outcome.SpanOn >= t), items.Count(x => x.Outcome.StoppedOn),
                clean.Count, clean.Count(x => x.Outcome.StoppedOn), partial.Count, partial.Count(x => x.Outcome.StoppedOn), items.Max(x => x.Outcome.SpanOn)));
        }

        log.WriteLine($"{probes[0].Section}: {probes.Count} probes, each unfiltered and filtered");
        return rows;
    }

    private static Task<ProbeResult> SendAsync(CompletionProbe endpoint, BenchProbe probe, CancellationToken cancellationToken) =>
        probe.Chat ? endpoint.ChatAsync(probe.Prompt, probe.Stream, cancellationToken) : endpoint.CompleteAsync(probe.Model, probe.Prompt, probe.Stream, cancellationToken);

    private static class MemberIndex
    {
        public static readonly VerbatimSpanIndex Value = new(ReferenceCorpus.Members);
    }

    private sealed class Cleanup(Func<Task> callback) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await callback();
    }
}
