using GenSafety.LoadTests.Scenarios;

namespace GenSafety.LoadTests.Cli;

/// <summary>Everything one <c>run</c> (or <c>selftest</c>) is parameterised by; see <see cref="Usage"/>.</summary>
internal sealed record RunOptions
{
    public const string Direct = "direct";
    public const string Bare = "bare";
    public const string Gateway = "gateway";
    public const string GatewayB = "gateway-b";
    public const string ReferenceUpstream = "reference";
    public const string EchoUpstream = "echo";

    /// <summary>Every target, in the order they are started and reported.</summary>
    public static readonly IReadOnlyList<string> AllTargets = [Direct, Bare, Gateway, GatewayB];
    public static readonly IReadOnlyList<string> DefaultTargets = [Direct, Bare, Gateway];
    public static readonly IReadOnlyList<string> GatewayTargets = [Gateway, GatewayB];
    public static readonly IReadOnlyList<string> AllScenarios = [ScenarioNames.Chat, ScenarioNames.ChatStream];

    public required IReadOnlyList<string> Targets { get; init; }
    public required IReadOnlyList<string> Scenarios { get; init; }
    public required int Concurrency { get; init; }
    /// <summary>Open loop at this many requests per second per scenario and target (0: closed loop).</summary>
    public required double Rate { get; init; }
    public required TimeSpan Warmup { get; init; }
    public required TimeSpan Duration { get; init; }
    public required int Rounds { get; init; }
    public required TimeSpan RequestTimeout { get; init; }
    public required TimeSpan StartupTimeout { get; init; }
    public required string Upstream { get; init; }
    public required string RepoRoot { get; init; }
    public required string ReferenceModelDll { get; init; }
    public required string GatewayDll { get; init; }
    public required string BareProxyDll { get; init; }
    public required IReadOnlyList<string> GatewayArgs { get; init; }
    /// <summary>Arguments of the second gateway target; they replace <see cref="GatewayArgs"/>, not add to them.</summary>
    public required IReadOnlyList<string> GatewayBArgs { get; init; }
    /// <summary>The build gateway-b runs (default: the same as <see cref="GatewayDll"/>), e.g. an earlier commit's.</summary>
    public required string GatewayBDll { get; init; }
    /// <summary>Display name of the <see cref="GatewayB"/> target in the report.</summary>
    public required string GatewayBLabel { get; init; }

    /// <summary>Start the echo app in each gateway's place (readyz, admin clients, bearer check; no proxying), to test the harness.</summary>
    public required bool GatewayStandIn { get; init; }
    /// <summary>One pause of the echo upstream's streams after their first token (0: none).</summary>
    public required TimeSpan EchoStreamPause { get; init; }

    public required string Gc { get; init; }
    public required string ChildLogLevel { get; init; }
    public required string Prompt { get; init; }
    public required int MaxTokens { get; init; }
    public required string OutPath { get; init; }
    public required double MaxErrorRate { get; init; }

    /// <summary>Warm-up before a target's later slices: connections and JIT are warm already, only the ramp is left.</summary>
    public TimeSpan RewarmUp => Warmup < TimeSpan.FromSeconds(1) ? Warmup : TimeSpan.FromSeconds(1);

    /// <summary>The gateway targets this run starts, each with its own arguments.</summary>
    public IEnumerable<GatewayInstance> Gateways =>
        GatewayTargets.Where(Targets.Contains).Select(name => name == GatewayB
            ? new GatewayInstance(name, Label(name), GatewayBArgs, GatewayBDll)
            : new GatewayInstance(name, Label(name), GatewayArgs, GatewayDll));

    public static bool IsGateway(string target) => GatewayTargets.Contains(target);

    /// <summary>The name a target is shown under in the report.</summary>
    public string Label(string target) => target == GatewayB ? GatewayBLabel : target;

    public const string Usage = """
        GenSafety load tests: closed-loop (or fixed-rate open-loop) load against the reference model directly, bare YARP and the gateway
        (optionally a second gateway configuration, gateway-b, in the same interleaved run).

        usage: GenSafety.LoadTests run [options]       measure (default: direct, bare, gateway)
               GenSafety.LoadTests selftest [options]  whole pipeline against the built-in echo upstream, with the
                                                       echo app as stand-in gateways (~45 s; same options, other defaults)
               GenSafety.LoadTests echo-upstream --urls http://127.0.0.1:PORT

        options (durations: 15, 15s, 500ms, 2m):
          --targets LIST            subset of direct,bare,gateway,gateway-b  [direct,bare,gateway; selftest adds gateway-b]
          --scenarios LIST          subset of chat,chat-stream               [chat,chat-stream]
          --concurrency N           closed-loop workers (and connections); with --rate, most requests in flight  [32]
          --rate N                  open loop: start N requests per second on a fixed schedule, latency from each
                                    scheduled start (no coordinated omission); 0 = closed loop  [0]
          --warmup D                warm-up before a target's first slice    [15s]
          --duration D              measured time per scenario per target    [15s]
          --rounds N                slices per target, interleaved           [3]
          --request-timeout D       per request                              [30s]
          --startup-timeout D       per child process until ready            [120s]
          --upstream NAME           reference (GenSafety.ReferenceModel) | echo (built-in)  [reference]
          --reference-model-dll P   [gateway/src/GenSafety.ReferenceModel/bin/Release/net10.0/GenSafety.ReferenceModel.dll]
          --gateway-dll P           [gateway/src/GenSafety.Gateway/bin/Release/net10.0/GenSafety.Gateway.dll]
          --bare-proxy-dll P        [load-tests/GenSafety.BareProxy/bin/Release/net10.0/GenSafety.BareProxy.dll]
          --gateway-arg ARG         extra argument of the gateway target, repeatable (e.g. --gateway-arg=--GenSafety:Redis:ConnectionString=127.0.0.1:6379)
          --gateway-b-arg ARG       argument of the second gateway target, gateway-b, repeatable; gateway-b gets these
                                    instead of the --gateway-args (e.g. --gateway-b-arg=--GenSafety:Redis:ConnectionString=127.0.0.1:6379)
          --gateway-b-label TEXT    gateway-b's name in the report tables                   [gateway-b]
          --gateway-b-dll P         the build gateway-b runs, e.g. an earlier commit's       [the --gateway-dll]
          --gateway-stand-in        start the built-in echo app in place of each gateway (tests the harness, measures nothing real)
          --echo-stream-pause D     echo upstream: one pause after a stream's first token    [0; selftest 1ms]
          --gc MODE                 default | workstation | server, for every child process  [default]
          --child-log-level LEVEL   Logging:LogLevel:Default of every child process          [Warning]
          --prompt TEXT             user message of the chat request
          --max-tokens N            max_tokens of the chat request           [16]
          --out PATH                Markdown report; JSON beside it (.json)  [load-tests/results/latest.md]
          --max-error-rate X        exit 2 when a target's error rate is above X             [0.01]
          --repo-root P             where relative paths start               [nearest folder with GenSafety.Gateway.sln]
        """;

    public static RunOptions Parse(IReadOnlyList<string> args, RunOptions defaults, out List<string> errors)
    {
        var reader = new ArgReader(args, new HashSet<string> { "gateway-stand-in" });
        var repoRoot = Path.GetFullPath(reader.String("repo-root", defaults.RepoRoot));
        string RepoPath(string name, string fallback) => Path.GetFullPath(Path.Combine(repoRoot, reader.String(name, fallback)));

        var options = new RunOptions
        {
            Targets = reader.List("targets", defaults.Targets, AllTargets),
            Scenarios = reader.List("scenarios", defaults.Scenarios, AllScenarios),
            Concurrency = reader.Int("concurrency", defaults.Concurrency, 1, 4096),
            Rate = reader.Double("rate", defaults.Rate, 0, 100_000),
            Warmup = reader.Duration("warmup", defaults.Warmup, TimeSpan.Zero, TimeSpan.FromMinutes(10)),
            Duration = reader.Duration("duration", defaults.Duration, TimeSpan.FromMilliseconds(500), TimeSpan.FromHours(1)),
            Rounds = reader.Int("rounds", defaults.Rounds, 1, 100),
            RequestTimeout = reader.Duration("request-timeout", defaults.RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            StartupTimeout = reader.Duration("startup-timeout", defaults.StartupTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30)),
            Upstream = reader.Choice("upstream", defaults.Upstream, [ReferenceUpstream, EchoUpstream]),
            RepoRoot = repoRoot,
            ReferenceModelDll = RepoPath("reference-model-dll", defaults.ReferenceModelDll),
            GatewayDll = RepoPath("gateway-dll", defaults.GatewayDll),
            BareProxyDll = RepoPath("bare-proxy-dll", defaults.BareProxyDll),
            GatewayArgs = [.. defaults.GatewayArgs, .. reader.All("gateway-arg")],
            GatewayBArgs = [.. defaults.GatewayBArgs, .. reader.All("gateway-b-arg")],
            GatewayBLabel = reader.String("gateway-b-label", defaults.GatewayBLabel).Trim(),
            GatewayBDll = RepoPath("gateway-b-dll", reader.String("gateway-dll", defaults.GatewayDll)),
            GatewayStandIn = defaults.GatewayStandIn || reader.Flag("gateway-stand-in"),
            EchoStreamPause = reader.Duration("echo-stream-pause", defaults.EchoStreamPause, TimeSpan.Zero, TimeSpan.FromSeconds(1)),
            Gc = reader.Choice("gc", defaults.Gc, ["default", "workstation", "server"]),
            ChildLogLevel = reader.Choice("child-log-level", defaults.ChildLogLevel, ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"]),
            Prompt = reader.String("prompt", defaults.Prompt),
            MaxTokens = reader.Int("max-tokens", defaults.MaxTokens, 1, 4096),
            OutPath = RepoPath("out", defaults.OutPath),
            MaxErrorRate = reader.Double("max-error-rate", defaults.MaxErrorRate, 0, 1),
        };
        reader.RejectUnknown();
        errors = reader.Errors;
        if (options.GatewayBLabel.Length == 0 || (options.GatewayBLabel != GatewayB && AllTargets.Contains(options.GatewayBLabel)))
        {
            errors.Add($"--gateway-b-label must be non-empty and not another target's name, got '{options.GatewayBLabel}'");
        }

        if (!options.Targets.Contains(GatewayB) && (options.GatewayBArgs.Count > 0 || options.GatewayBLabel != defaults.GatewayBLabel || reader.All("gateway-b-dll").Count > 0))
        {
            errors.Add("--gateway-b-arg and --gateway-b-label need gateway-b in --targets (e.g. --targets direct,bare,gateway,gateway-b)");
        }

        return options;
    }

    public static RunOptions RunDefaults(string repoRoot) => new()
    {
        Targets = DefaultTargets,
        Scenarios = AllScenarios,
        Concurrency = 32,
        Rate = 0,
        Warmup = TimeSpan.FromSeconds(15),
        Duration = TimeSpan.FromSeconds(15),
        Rounds = 3,
        RequestTimeout = TimeSpan.FromSeconds(30),
        StartupTimeout = TimeSpan.FromSeconds(120),
        Upstream = ReferenceUpstream,
        RepoRoot = repoRoot,
        ReferenceModelDll = "gateway/src/GenSafety.ReferenceModel/bin/Release/net10.0/GenSafety.ReferenceModel.dll",
        GatewayDll = "gateway/src/GenSafety.Gateway/bin/Release/net10.0/GenSafety.Gateway.dll",
        BareProxyDll = "load-tests/GenSafety.BareProxy/bin/Release/net10.0/GenSafety.BareProxy.dll",
        GatewayArgs = [],
        GatewayBArgs = [],
        GatewayBLabel = GatewayB,
        GatewayBDll = "gateway/src/GenSafety.Gateway/bin/Release/net10.0/GenSafety.Gateway.dll",
        GatewayStandIn = false,
        EchoStreamPause = TimeSpan.Zero,
        Gc = "default",
        ChildLogLevel = "Warning",
        Prompt = "Write one short sentence about the sea.",
        MaxTokens = 16,
        OutPath = "load-tests/results/latest.md",
        MaxErrorRate = 0.01,
    };

    public static RunOptions SelfTestDefaults(string repoRoot) => RunDefaults(repoRoot) with
    {
        Targets = AllTargets,
        GatewayStandIn = true,
        EchoStreamPause = TimeSpan.FromMilliseconds(1),
        Concurrency = 16,
        Warmup = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromSeconds(3),
        Rounds = 2,
        StartupTimeout = TimeSpan.FromSeconds(60),
        Upstream = EchoUpstream,
        OutPath = "load-tests/results/selftest.md",
        MaxErrorRate = 0,
    };

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds the solution file.</summary>
    public static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GenSafety.Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}

/// <summary>One gateway target to start: its target name, report label and its own extra arguments.</summary>
internal sealed record GatewayInstance(string Target, string Label, IReadOnlyList<string> Args, string Dll);
