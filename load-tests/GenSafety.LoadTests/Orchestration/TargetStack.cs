using System.Net;
using System.Security.Cryptography;
using GenSafety.LoadTests.Cli;
using GenSafety.LoadTests.Processes;
using GenSafety.LoadTests.Scenarios;

namespace GenSafety.LoadTests.Orchestration;

/// <summary>A target under load and the processes whose CPU time is read while it is measured.</summary>
internal sealed record StackTarget(LoadTarget Load, ChildProcess Front, ChildProcess Upstream);

/// <summary>
/// Starts the upstream (reference model or echo), then bare YARP and the gateway(s) in front of it,
/// each on a free loopback port and each waited for until ready; kills them all on dispose.
/// </summary>
internal sealed class TargetStack : IDisposable
{
    // Direct and bare requests carry a bearer too, so that every target parses the same headers.
    private const string PlaceholderBearer = "load-test-placeholder-key";
    private readonly List<ChildProcess> _children = [];
    private readonly List<StackTarget> _targets = [];

    public IReadOnlyList<StackTarget> Targets => _targets;

    public IReadOnlyList<ChildProcess> Children => _children;

    public static async Task<TargetStack> StartAsync(RunOptions options, HttpClient http, TextWriter log, CancellationToken cancellationToken)
    {
        var stack = new TargetStack();
        try
        {
            await stack.StartAllAsync(options, http, log, cancellationToken);
            return stack;
        }
        catch
        {
            stack.Dispose();
            throw;
        }
    }

    /// <summary>Throws, with its last output, if any child has died.</summary>
    public void EnsureAllRunning()
    {
        foreach (var child in _children)
        {
            child.EnsureRunning();
        }
    }

    public void Dispose()
    {
        // Front processes first, the upstream last.
        for (var i = _children.Count - 1; i >= 0; i--)
        {
            _children[i].Dispose();
        }

        _children.Clear();
    }

    private async Task StartAllAsync(RunOptions options, HttpClient http, TextWriter log, CancellationToken cancellationToken)
    {
        var gateways = options.Gateways.ToList();
        // Upstream, bare, then a public and an admin port per gateway: taken together, so all are distinct.
        var ports = FreePorts.Take(2 + (2 * gateways.Count));
        var (upstreamPort, barePort) = (ports[0], ports[1]);
        var upstreamUrl = Loopback(upstreamPort);
        var context = new StartContext(options, upstreamUrl, ChildEnvironment(options), http, log);

        var upstream = options.Upstream == RunOptions.EchoUpstream
            ? Start("echo upstream", EchoDll, [EchoCommand, "--urls", upstreamUrl.ToString(), context.EchoPause, .. context.Args], context.Environment)
            : Start("reference model", options.ReferenceModelDll, ["--urls", upstreamUrl.ToString(), .. context.Args], context.Environment);
        log.WriteLine($"started {upstream.Name} (pid {upstream.Id}) on {upstreamUrl}");
        await upstream.WaitUntilReadyAsync(http, new Uri(upstreamUrl, "healthz"), s => s == HttpStatusCode.OK, options.StartupTimeout, cancellationToken);

        if (options.Targets.Contains(RunOptions.Direct))
        {
            _targets.Add(new StackTarget(new LoadTarget(RunOptions.Direct, upstreamUrl, PlaceholderBearer), upstream, upstream));
        }

        if (options.Targets.Contains(RunOptions.Bare))
        {
            var bareUrl = Loopback(barePort);
            var bare = Start("bare YARP", options.BareProxyDll, ["--urls", bareUrl.ToString(), context.UpstreamArg, .. context.Args], context.Environment);
            log.WriteLine($"started {bare.Name} (pid {bare.Id}) on {bareUrl}");
            // Bare YARP has no health endpoint: any answer from a proxied route means it is listening and routing.
            await bare.WaitUntilReadyAsync(http, new Uri(bareUrl, "v1/models"), _ => true, options.StartupTimeout, cancellationToken);
            _targets.Add(new StackTarget(new LoadTarget(RunOptions.Bare, bareUrl, PlaceholderBearer), bare, upstream));
        }

        for (var i = 0; i < gateways.Count; i++)
        {
            _targets.Add(await StartGatewayAsync(gateways[i], Loopback(ports[2 + (2 * i)]), Loopback(ports[3 + (2 * i)]), upstream, context, cancellationToken));
        }
    }

    /// <summary>
    /// Starts one gateway (or its echo stand-in) with its own ports, admin token, key pepper and
    /// arguments, waits for <c>/readyz</c> and creates client <c>load-1</c> through the admin API.
    /// </summary>
    private async Task<StackTarget> StartGatewayAsync(
        GatewayInstance gateway, Uri publicUrl, Uri adminUrl, ChildProcess upstream, StartContext context, CancellationToken cancellationToken)
    {
        var (options, http, log) = (context.Options, context.Http, context.Log);
        var adminToken = RandomSecret();
        var process = Start(
            options.GatewayStandIn ? $"stand-in {gateway.Target} (echo)" : gateway.Target,
            options.GatewayStandIn ? EchoDll : gateway.Dll,
            [
                .. options.GatewayStandIn ? [EchoCommand, context.EchoPause] : Array.Empty<string>(),
                $"--Kestrel:Endpoints:Public:Url={publicUrl}",
                $"--Kestrel:Endpoints:Admin:Url={adminUrl}",
                context.UpstreamArg,
                $"--GenSafety:Admin:Token={adminToken}",
                $"--GenSafety:Identity:KeyPepper={RandomSecret()}",
                .. context.Args,
                .. gateway.Args,
            ],
            context.Environment);
        log.WriteLine($"started {process.Name} (pid {process.Id}) on {publicUrl}, admin {adminUrl}");
        await process.WaitUntilReadyAsync(http, new Uri(adminUrl, "readyz"), s => s == HttpStatusCode.OK, options.StartupTimeout, cancellationToken);
        var clientKey = await GatewayAdminClient.CreateClientAsync(http, adminUrl, adminToken, "load-1", cancellationToken);
        log.WriteLine($"created {gateway.Target} client load-1");
        return new StackTarget(new LoadTarget(gateway.Target, publicUrl, clientKey), process, upstream);
    }

    /// <summary>What every child is started with: options, arguments, environment, and the upstream the proxies route to.</summary>
    private sealed record StartContext(RunOptions Options, Uri UpstreamUrl, IReadOnlyDictionary<string, string?> Environment, HttpClient Http, TextWriter Log)
    {
        public string[] Args { get; } = [$"--Logging:LogLevel:Default={Options.ChildLogLevel}"];

        public string EchoPause { get; } = $"--Echo:StreamPauseMs={Options.EchoStreamPause.TotalMilliseconds}";

        public string UpstreamArg { get; } = $"--ReverseProxy:Clusters:upstream:Destinations:primary:Address={UpstreamUrl}";
    }

    private const string EchoCommand = "echo-upstream";

    private static string EchoDll => Path.Combine(AppContext.BaseDirectory, "GenSafety.LoadTests.dll");

    private ChildProcess Start(string name, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var child = ChildProcess.Start(name, dll, args, environment);
        _children.Add(child);
        return child;
    }

    private static Dictionary<string, string?> ChildEnvironment(RunOptions options)
    {
        var environment = new Dictionary<string, string?> { ["DOTNET_NOLOGO"] = "1" };
        if (options.Gc != "default")
        {
            environment["DOTNET_gcServer"] = options.Gc == "server" ? "1" : "0";
        }

        return environment;
    }

    private static Uri Loopback(int port) => new($"http://127.0.0.1:{port}/");

    private static string RandomSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
