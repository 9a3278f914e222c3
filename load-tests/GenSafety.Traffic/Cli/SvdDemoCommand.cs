using System.Diagnostics;
using System.Globalization;
using GenSafety.LoadTests.Cli;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Attacks.Logits;
using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Cli;

/// <summary>
/// <c>svd-demo</c>: the undefended logit-extraction attacker. Starts the reference model in its low-rank mode
/// (logits = W·h, hidden size d) in this process — or targets one already running — runs A1 (or A2) straight at
/// it, and prints the hidden size the SVD recovers next to the true one.
/// </summary>
public static class SvdDemoCommand
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: GenSafety.Traffic svd-demo [options]
          --attack A1|A2            logit_bias + top_logprobs sweep, or bisection without logprobs  [A1]
          --hidden-size D           true d of the in-process reference model                      [A1: 64, A2: 8]
          --low-rank-seed N         seed of the model's W                                          [1234]
          --target URL              attack a running reference model instead (started with
                                    ReferenceModel__LowRankLogits=true); --hidden-size is then only reported
          --prompts N               prompts (rows)                                                 [A1: 160, A2: 32]
          --tokens N                tokens per prompt, reference included                          [A1: 134, A2: 16]
          --seed N                  attacker's seed                                                [7]
          --concurrency N           parallel workers                                               [8]
        """;

    /// <summary>Runs; returns the exit code.</summary>
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var reader = new ArgReader(args, new HashSet<string>());
        var family = reader.Choice("attack", AttackFamilies.LogitBias, [AttackFamilies.LogitBias, AttackFamilies.Bisection]);
        var a1 = family == AttackFamilies.LogitBias;
        var hiddenSize = reader.Int("hidden-size", a1 ? 64 : 8, 8, 1024);
        var modelSeed = reader.Int("low-rank-seed", 1234, 0, int.MaxValue);
        var target = reader.OptionalString("target");
        var prompts = reader.Int("prompts", a1 ? 160 : 32, 2, 100_000);
        var tokens = reader.Int("tokens", a1 ? 134 : 16, 3, 5000);
        var seed = reader.Int("seed", 7, 0, int.MaxValue);
        var concurrency = reader.Int("concurrency", 8, 1, 256);
        reader.RejectUnknown();
        if (reader.Errors.Count > 0)
        {
            reader.Errors.ForEach(e => Console.Error.WriteLine("error: " + e));
            Console.Error.WriteLine(Usage);
            return 1;
        }

        var options = new AttackOptions { A1Prompts = prompts, A1Tokens = tokens, A2Prompts = prompts, A2Tokens = tokens };
        var attack = AttackFactory.Create(family, new AttackSetup(concurrency, 0, false, new SeededRandom((ulong)seed), options));
        var started = Stopwatch.StartNew();
        HiddenSizeReport report;
        if (target is null)
        {
            var (app, url) = await ReferenceModelHosting.StartAsync(
                o =>
                {
                    o.LowRankLogits = true;
                    o.HiddenSize = hiddenSize;
                    o.LowRankSeed = modelSeed;
                },
                cancellationToken);
            await using (app)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reference model (LowRankLogits, d = {hiddenSize}, seed {modelSeed}) at {url}"));
                report = await AttackAsync(attack, url, concurrency, cancellationToken);
            }
        }
        else
        {
            report = await AttackAsync(attack, new Uri(target), concurrency, cancellationToken);
        }

        var c = CultureInfo.InvariantCulture;
        output.WriteLine(Summary.Describe(report));
        output.WriteLine(string.Create(c, $"true d = {hiddenSize}{(target is null ? string.Empty : " (as given)")}, recovered d {(report.Conclusive ? "=" : "≥")} {report.RecoveredHiddenSize}{(report.Conclusive ? string.Empty : " (inconclusive)")}, queries = {report.Queries}, {started.Elapsed.TotalSeconds:F1} s"));
        var around = report.SingularValues.Skip(Math.Max(0, report.RecoveredHiddenSize - 3)).Take(6).Select((v, i) => string.Create(c, $"σ{Math.Max(0, report.RecoveredHiddenSize - 3) + i + 1}={v:G4}"));
        output.WriteLine("singular values around the cliff: " + string.Join(", ", around));
        return report.Conclusive && (target is not null || report.RecoveredHiddenSize == hiddenSize) ? 0 : 2;
    }

    private static async Task<HiddenSizeReport> AttackAsync(IAttack attack, Uri url, int concurrency, CancellationToken cancellationToken)
    {
        using var transport = new HttpTrafficTransport(url, ModelNames.Reference, TimeSpan.FromSeconds(60), concurrency, false);
        await AttackDriver.RunAsync(attack, concurrency, transport, new TrafficClient("svd-demo", "svd-demo"), cancellationToken);
        return (HiddenSizeReport)attack.Report();
    }
}
