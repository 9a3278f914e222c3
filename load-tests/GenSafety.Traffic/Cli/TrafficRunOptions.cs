using System.Globalization;
using GenSafety.LoadTests.Cli;
using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Personas;

namespace GenSafety.Traffic.Cli;

/// <summary>Options of <c>run</c> and <c>plan</c>; see <see cref="Usage"/>.</summary>
public sealed record TrafficRunOptions
{
    /// <summary>Root URL of the target (gateway public port, or the model).</summary>
    public Uri? Target { get; init; }

    /// <summary>Admin URL of the gateway (clients are created there).</summary>
    public Uri? Admin { get; init; }

    /// <summary>Admin bearer token.</summary>
    public string? AdminToken { get; init; }

    /// <summary>Keys file instead of the admin API.</summary>
    public string? KeysFile { get; init; }

    /// <summary>Tenant of created clients.</summary>
    public string Tenant { get; init; } = "default";

    /// <summary>Policy of created clients (null: the gateway's default).</summary>
    public string? Policy { get; init; }

    /// <summary>Campaign specs: scenarios × sybils × mixes × variants.</summary>
    public IReadOnlyList<CampaignSpec> Campaigns { get; init; } = [];

    /// <summary>JSONL output path.</summary>
    public string Out { get; init; } = "load-tests/results/traffic.jsonl";

    /// <summary>How campaigns are played.</summary>
    public RunnerSettings Runner { get; init; } = new();

    /// <summary>Per-request timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Solve proof-of-work challenges.</summary>
    public bool SolveProofOfWork { get; init; }

    /// <summary>Pin attacker keys to this level before the run (<c>L0</c> … <c>L4</c>).</summary>
    public string? AttackLevel { get; init; }

    /// <summary>Undefended embeddings endpoint for A4's held-out ground truth.</summary>
    public Uri? Oracle { get; init; }

    /// <summary>Bearer key for the oracle.</summary>
    public string OracleKey { get; init; } = "traffic-oracle";

    /// <summary>Model names.</summary>
    public Api.ModelNames Models { get; init; } = Api.ModelNames.Reference;

    /// <summary>Usage text.</summary>
    public const string Usage = """
        GenSafety traffic generator: seeded benign personas and extraction attacks (A1-A5), labelled JSONL.

        usage: GenSafety.Traffic run --target URL [options]     play campaigns against a gateway or a model
               GenSafety.Traffic plan [options]                  build campaigns and print who sends what, no network
               GenSafety.Traffic svd-demo [options]              A1/A2 against the reference model's low-rank mode: recovered vs true d
               GenSafety.Traffic encoder-demo [options]          A4 surrogate fidelity against the reference model, with and without noise
               GenSafety.Traffic score [options]                 score run's records: detection per attack, false positives per persona
               GenSafety.Traffic bench [options]                 start model + gateway on Redis, run campaigns through it, score

        run / plan options:
          --target URL              target root, e.g. http://127.0.0.1:8080 (gateway public port or the model)
          --admin URL               gateway admin root; clients are created with POST /admin/clients
          --admin-token T           admin bearer token
          --keys-file PATH          instead of --admin: 'client_id api_key' per line, handed out in order
          --tenant T / --policy P   tenant and policy of created clients          [default / gateway default]
          --scenario LIST           A1,A2,A3,A4,A5,benign; 'all' = A1-A5         [A1]
          --sybils LIST             attacker keys per campaign, e.g. 1,10,100    [1]
          --mix LIST                attacker share of requests, e.g. 0.05,0.25   [0.25]
          --adaptive LIST           none,interleave,wording,both                 [none]
          --seed N                  seed of every random choice                  [7]
          --queries N               requests per campaign (benign + attack)      [2000]
          --benign-clients N        benign clients per campaign                  [40]
          --attack-queries N        size campaigns by the attack instead: N attack requests (cover extra),
                                    benign requests from the mix, benign clients = benign requests / --benign-load
                                    (a benign-only campaign keeps --queries)
          --benign-load N           with --attack-queries: benign requests per benign client, on average [20]
          --personas LIST           persona shares, e.g. chat=0.5,rag=0.2,classifier=0.15,embeddings=0.15
          --window DURATION         virtual span of the benign traffic           [1h]
          --think-scale X           factor on think times and burst gaps         [1]
          --cover-ratio X           interleaving: cover requests per attack request [1]
          --speedup X               virtual seconds per wall second; 0 = as fast as possible [0]
          --concurrency N           requests in flight                           [16]
          --request-timeout DUR     per request                                  [120s]
          --keep-blocked            blocked clients keep sending (default: they stop)
          --solve-pow               solve proof-of-work challenges and resend
          --attack-level L          pin attacker keys to L0-L4 before the run (needs --admin)
          --oracle URL              undefended embeddings endpoint for A4's held-out ground truth
                                    (default: the target when no --admin is given)
          --oracle-key K            bearer key for the oracle                    [traffic-oracle]
          --chat-model M / --embedding-model M                                   [reference-ngram / reference-minilm]
          --run-id ID               client id prefix                             [random]
          --out PATH                JSONL output                                 [load-tests/results/traffic.jsonl]
          --a1-tokens N --a1-prompts N --a2-tokens N --a2-prompts N --a2-precision X
          --a3-max-tokens N --a3-ban-eot --a4-batch N --a4-held-out N --a5-max-tokens N
        """;

    /// <summary>Parses <c>run</c> / <c>plan</c> arguments.</summary>
    public static TrafficRunOptions Parse(IReadOnlyList<string> args, bool needsTarget, out List<string> errors)
    {
        var reader = new ArgReader(args, new HashSet<string> { "keep-blocked", "solve-pow", "a3-ban-eot" });
        var target = Url(reader, "target", needsTarget);
        var admin = Url(reader, "admin", false);
        var adminToken = reader.OptionalString("admin-token");
        var keysFile = reader.OptionalString("keys-file");
        var scenarios = Scenarios(reader);
        var sybils = Numbers(reader, "sybils", "1", s => int.Parse(s, CultureInfo.InvariantCulture), v => v is >= 1 and <= 1000, "integers in [1, 1000]");
        var mixes = Numbers(reader, "mix", "0.25", s => double.Parse(s, CultureInfo.InvariantCulture), v => v is > 0 and <= 1, "numbers in (0, 1]");
        var variants = reader.List("adaptive", [Variants.None], Variants.All);
        var attack = new AttackOptions
        {
            A1Tokens = reader.Int("a1-tokens", 134, 3, 5000),
            A1Prompts = Optional(reader, "a1-prompts"),
            A2Tokens = reader.Int("a2-tokens", 24, 3, 5000),
            A2Prompts = Optional(reader, "a2-prompts"),
            A2Precision = reader.Double("a2-precision", 1e-4, 1e-9, 10),
            A3MaxTokens = reader.Int("a3-max-tokens", 3072, 1, 100_000),
            A3BanEndOfText = reader.Flag("a3-ban-eot"),
            A4BatchSize = reader.Int("a4-batch", 8, 1, 2048),
            A4HeldOut = reader.Int("a4-held-out", 200, 10, 100_000),
            A5MaxTokens = reader.Int("a5-max-tokens", 1024, 1, 100_000),
        };
        var seed = reader.Int("seed", 7, 0, int.MaxValue);
        var queries = reader.Int("queries", 2000, 1, 10_000_000);
        var benignClients = reader.Int("benign-clients", 40, 1, 100_000);
        var personas = PersonaWeights(reader);
        var window = reader.Duration("window", TimeSpan.FromHours(1), TimeSpan.FromSeconds(1), TimeSpan.FromDays(365));
        var timing = new PersonaTiming(reader.Double("think-scale", 1, 0.001, 1000));
        var coverRatio = reader.Double("cover-ratio", 1, 0, 100);
        var attackQueries = reader.OptionalString("attack-queries") is null ? (int?)null : reader.Int("attack-queries", 1, 1, 10_000_000);
        var benignLoad = reader.Int("benign-load", 20, 1, 1_000_000);
        var runId = reader.String("run-id", "t" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3)));
        var options = new TrafficRunOptions
        {
            Target = target,
            Admin = admin,
            AdminToken = adminToken,
            KeysFile = keysFile,
            Tenant = reader.String("tenant", "default"),
            Policy = reader.OptionalString("policy"),
            Out = reader.String("out", "load-tests/results/traffic.jsonl"),
            Runner = new RunnerSettings(
                reader.Int("concurrency", 16, 1, 4096),
                reader.Double("speedup", 0, 0, 1e9),
                !reader.Flag("keep-blocked")),
            RequestTimeout = reader.Duration("request-timeout", TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            SolveProofOfWork = reader.Flag("solve-pow"),
            AttackLevel = reader.OptionalString("attack-level") is { } level ? level.ToUpperInvariant() : null,
            Oracle = Url(reader, "oracle", false),
            OracleKey = reader.String("oracle-key", "traffic-oracle"),
            Models = new Api.ModelNames(reader.String("chat-model", "reference-ngram"), reader.String("embedding-model", "reference-minilm")),
            Campaigns =
            [
                .. from scenario in scenarios
                   from sybil in scenario == CampaignSpec.BenignOnly ? [1] : sybils
                   from mix in scenario == CampaignSpec.BenignOnly ? [0.0] : mixes
                   from variant in scenario == CampaignSpec.BenignOnly ? [Variants.None] : variants
                   let spec = new CampaignSpec
                   {
                       Scenario = scenario, Sybils = sybil, Mix = mix, Variant = variant, Seed = (ulong)seed, Queries = queries,
                       BenignClients = benignClients, PersonaWeights = personas, WindowSeconds = window.TotalSeconds, CoverRatio = coverRatio,
                       Timing = timing, Attack = attack, RunId = runId,
                   }
                   select attackQueries is { } budget ? spec.WithAttackBudget(budget, benignLoad) : spec,
            ],
        };
        reader.RejectUnknown();
        errors = reader.Errors;
        if (admin is not null && adminToken is null)
        {
            errors.Add("--admin needs --admin-token");
        }

        if (admin is not null && keysFile is not null)
        {
            errors.Add("--admin and --keys-file exclude each other");
        }

        if (options.AttackLevel is { } pinned && (admin is null || pinned is not ("L0" or "L1" or "L2" or "L3" or "L4")))
        {
            errors.Add("--attack-level takes L0-L4 and needs --admin");
        }

        return options;
    }

    private static Uri? Url(ArgReader reader, string name, bool required)
    {
        var text = reader.OptionalString(name);
        if (text is null)
        {
            if (required)
            {
                reader.Errors.Add($"--{name} is required");
            }

            return null;
        }

        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            reader.Errors.Add($"--{name} must be an http(s) URL, got '{text}'");
            return null;
        }

        return uri;
    }

    private static List<string> Scenarios(ArgReader reader)
    {
        var text = reader.String("scenario", AttackFamilies.LogitBias);
        var allowed = AttackFamilies.All.Append(CampaignSpec.BenignOnly).ToList();
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(s => s.Equals("all", StringComparison.OrdinalIgnoreCase) ? AttackFamilies.All
                : [s.Equals(CampaignSpec.BenignOnly, StringComparison.OrdinalIgnoreCase) ? CampaignSpec.BenignOnly : s.ToUpperInvariant()])
            .Distinct()
            .ToList();
        if (items.Count == 0 || items.Exists(i => !allowed.Contains(i)))
        {
            reader.Errors.Add($"--scenario takes a list of {string.Join(",", allowed)} ('all' = A1-A5), got '{text}'");
            return [AttackFamilies.LogitBias];
        }

        return items;
    }

    private static List<T> Numbers<T>(ArgReader reader, string name, string fallback, Func<string, T> parse, Func<T, bool> valid, string expected)
    {
        var text = reader.String(name, fallback);
        try
        {
            var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToList();
            if (values.Count > 0 && values.TrueForAll(v => valid(v)))
            {
                return values;
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        reader.Errors.Add($"--{name} takes a comma-separated list of {expected}, got '{text}'");
        return [parse(fallback)];
    }

    private static int? Optional(ArgReader reader, string name) =>
        reader.OptionalString(name) is null ? null : reader.Int(name, 1, 1, 10_000_000);

    private static Dictionary<string, double> PersonaWeights(ArgReader reader)
    {
        var text = reader.OptionalString("personas");
        if (text is null)
        {
            return new Dictionary<string, double>(CampaignSpec.DefaultPersonaWeights);
        }

        var weights = new Dictionary<string, double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2 || !PersonaNames.All.Contains(pair[0])
                || !double.TryParse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || weight < 0)
            {
                reader.Errors.Add($"--personas takes name=weight pairs of {string.Join(",", PersonaNames.All)}, got '{part}'");
                continue;
            }

            weights[pair[0]] = weight;
        }

        if (weights.Values.Sum() <= 0)
        {
            reader.Errors.Add("--personas needs a positive weight");
            return new Dictionary<string, double>(CampaignSpec.DefaultPersonaWeights);
        }

        return weights;
    }
}
