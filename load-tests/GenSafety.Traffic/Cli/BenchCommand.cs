using System.Diagnostics;
using System.Globalization;
using GenSafety.Traffic.Bench;
using GenSafety.Traffic.Scoring;

namespace GenSafety.Traffic.Cli;

/// <summary>
/// <c>bench</c>: the detection benchmark in one process. Starts the reference model and the gateway (on the given
/// Redis), plays the campaigns of the <c>run</c> options through it with clients created on its admin API and the
/// model as the oracle of clean embeddings, then scores the records (<see cref="ScoreCommand"/>).
/// </summary>
public static class BenchCommand
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        bench options (plus every run option except --target, --admin, --admin-token, --keys-file and --oracle):
          --gateway-dll PATH        the built gateway                             (required)
          --redis HOST:PORT         Redis for the gateway                         (required)
          --gateway-arg ARG         extra gateway argument, e.g. --gateway-arg=--GenSafety:Detection:MaxBatchSize=64 (repeatable)
          --csv PATH / --markdown PATH / --docs PATH / --command TEXT / --detected-share X   as for score
        """;

    private static readonly HashSet<string> Options = ["gateway-dll", "redis", "gateway-arg", "csv", "markdown", "docs", "command", "detected-share"];

    /// <summary>Runs; returns the exit code.</summary>
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var (own, rest) = Split(args);
        var errors = new List<string>();
        var gatewayDll = own.GetValueOrDefault("gateway-dll")?.LastOrDefault();
        var redis = own.GetValueOrDefault("redis")?.LastOrDefault();
        if (gatewayDll is null || redis is null)
        {
            errors.Add("bench needs --gateway-dll and --redis");
        }

        var forbidden = rest.Where(a => a.StartsWith("--", StringComparison.Ordinal))
            .Select(a => a[2..].Split('=')[0])
            .Where(n => n is "target" or "admin" or "admin-token" or "keys-file" or "oracle")
            .ToList();
        errors.AddRange(forbidden.Select(n => $"bench sets --{n} itself"));
        var options = ParseRunOptions(rest, out var runErrors);
        errors.AddRange(runErrors);
        var share = own.GetValueOrDefault("detected-share")?.LastOrDefault();
        var detectedShare = 0.5;
        if (share is not null && (!double.TryParse(share, NumberStyles.Float, CultureInfo.InvariantCulture, out detectedShare) || detectedShare is <= 0 or > 1))
        {
            errors.Add($"--detected-share takes a number in (0, 1], got '{share}'");
        }

        if (errors.Count > 0)
        {
            errors.ForEach(e => Console.Error.WriteLine("error: " + e));
            Console.Error.WriteLine(Usage);
            return 1;
        }

        var watch = Stopwatch.StartNew();
        await using var stack = await BenchTarget.StartAsync(gatewayDll!, redis!, own.GetValueOrDefault("gateway-arg") ?? [], cancellationToken);
        output.WriteLine($"gateway {stack.GatewayUrl} (admin {stack.AdminUrl}) in front of the reference model {stack.ModelUrl}, Redis {redis}");
        var score = await RunAndScoreAsync(stack, options, output, new ScoringTargets(DetectedShare: detectedShare), cancellationToken);
        ScoreCommand.Write(
            score,
            new ScoreOutputs(Last(own, "csv"), Last(own, "markdown"), Last(own, "docs"), Last(own, "command")),
            output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench took {watch.Elapsed.TotalMinutes:F1} min"));
        return 0;
    }

    /// <summary>Plays <paramref name="options"/>' campaigns through <paramref name="stack"/> and scores its records.</summary>
    public static async Task<DetectionScore> RunAndScoreAsync(BenchTarget stack, TrafficRunOptions options, TextWriter output, ScoringTargets? targets, CancellationToken cancellationToken)
    {
        var through = options with { Target = stack.GatewayUrl, Admin = stack.AdminUrl, AdminToken = stack.AdminToken, KeysFile = null, Oracle = stack.ModelUrl };
        var code = await RunCommand.ExecuteAsync(through, output, cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"run exited with {code}");
        }

        return DetectionScorer.Score(ScoringRecords.Read([through.Out]), targets);
    }

    /// <summary>
    /// Parses <c>run</c> options for a bench target: the target, admin API and token are placeholders here (the
    /// target's are filled in when it has started), so that options that need them (<c>--attack-level</c>) validate.
    /// </summary>
    public static TrafficRunOptions ParseRunOptions(IReadOnlyList<string> runArgs, out List<string> errors) =>
        TrafficRunOptions.Parse([.. runArgs, "--target", "http://127.0.0.1/", "--admin", "http://127.0.0.1/", "--admin-token", "placeholder"], needsTarget: true, out errors);

    private static string? Last(Dictionary<string, List<string>> own, string name) => own.GetValueOrDefault(name)?.LastOrDefault();

    /// <summary>Separates bench's own options (<c>--name value</c> or <c>--name=value</c>) from the run options.</summary>
    private static (Dictionary<string, List<string>> Own, List<string> Others) Split(IReadOnlyList<string> args)
    {
        var own = new Dictionary<string, List<string>>();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? (eq > 0 ? arg[2..eq] : arg[2..]) : string.Empty;
            if (!Options.Contains(name))
            {
                rest.Add(arg);
                continue;
            }

            var value = eq > 0 ? arg[(eq + 1)..] : i + 1 < args.Count ? args[++i] : string.Empty;
            if (!own.TryGetValue(name, out var values))
            {
                own[name] = values = [];
            }

            values.Add(value);
        }

        return (own, rest);
    }
}
