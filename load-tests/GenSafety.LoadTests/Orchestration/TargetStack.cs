using System.Net;
using System.Security.Cryptography;
using GenSafety.LoadTests.Cli;
using GenSafety.LoadTests.Processes;
using GenSafety.LoadTests.Scenarios;

namespace GenSafety.LoadTests.Orchestration;

/// <summary>A target under load and the processes whose CPU time is read while it is measured.</summary>
internal sealed record StackTarget(LoadTarget Load, ChildProcess Front, ChildProcess Upstream);

/// <summary>
/// Starts the upstream (reference model or echo), then bare YARP and the gateway in front of it,
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
        var ports = FreePorts.Take(4);
        var (upstreamPort, barePort, gatewayPort, adminPort) = (ports[0], ports[1], ports[2], ports[3]);
        var environment = ChildEnvironment(options);
        string[] common = [$"--Logging:LogLevel:Default={options.ChildLogLevel}"];
        var upstreamUrl = Loopback(upstreamPort);
        var echoPause = $"--Echo:StreamPauseMs={options.EchoStreamPause.TotalMilliseconds}";

        var upstream = options.Upstream == RunOptions.EchoUpstream
            ? Start("echo upstream", EchoDll, [EchoCommand, "--urls", upstreamUrl.ToString(), echoPause, .. common], environment)
            : Start("reference model", options.ReferenceModelDll, ["--urls", upstreamUrl.ToString(), .. common], environment);
        log.WriteLine($"started {upstream.Name} (pid {upstream.Id}) on {upstreamUrl}");
        await upstream.WaitUntilReadyAsync(http, new Uri(upstreamUrl, "healthz"), s => s == HttpStatusCode.OK, options.StartupTimeout, cancellationToken);

        if (options.Targets.Contains(RunOptions.Direct))
        {
            _targets.Add(new StackTarget(new LoadTarget(RunOptions.Direct, upstreamUrl, PlaceholderBearer), upstream, upstream));
        }

        var upstreamArg = $"--ReverseProxy:Clusters:upstream:Destinations:primary:Address={upstreamUrl}";
        if (options.Targets.Contains(RunOptions.Bare))
        {
            var bareUrl = Loopback(barePort);
            var bare = Start("bare YARP", options.BareProxyDll, ["--urls", bareUrl.ToString(), upstreamArg, .. common], environment);
            log.WriteLine($"started {bare.Name} (pid {bare.Id}) on {bareUrl}");
            // Bare YARP has no health endpoint: any answer from a proxied route means it is listening and routing.
            await bare.WaitUntilReadyAsync(http, new Uri(bareUrl, "v1/models"), _ => true, options.StartupTimeout, cancellationToken);
            _targets.Add(new StackTarget(new LoadTarget(RunOptions.Bare, bareUrl, PlaceholderBearer), bare, upstream));
        }

        if (options.Targets.Contains(RunOptions.Gateway))
        {
            var (publicUrl, adminUrl) = (Loopback(gatewayPort), Loopback(adminPort));
            var adminToken = RandomSecret();
            var gateway = Start(
                options.GatewayStandIn ? "stand-in gateway (echo)" : "gateway",
                options.GatewayStandIn ? EchoDll : options.GatewayDll,
                [
                    .. options.GatewayStandIn ? [EchoCommand, echoPause] : Array.Empty<string>(),
                    $"--Kestrel:Endpoints:Public:Url={publicUrl}",
                    $"--Kestrel:Endpoints:Admin:Url={adminUrl}",
                    upstreamArg,
                    $"--GenSafety:Admin:Token={adminToken}",
                    $"--GenSafety:Identity:KeyPepper={RandomSecret()}",
                    .. common,
                    .. options.GatewayArgs,
                ],
                environment);
            log.WriteLine($"started {gateway.Name} (pid {gateway.Id}) on {publicUrl}, admin {adminUrl}");
            await gateway.WaitUntilReadyAsync(http, new Uri(adminUrl, "readyz"), s => s == HttpStatusCode.OK, options.StartupTimeout, cancellationToken);
            var clientKey = await GatewayAdminClient.CreateClientAsync(http, adminUrl, adminToken, "load-1", cancellationToken);
            log.WriteLine("created gateway client load-1");
            _targets.Add(new StackTarget(new LoadTarget(RunOptions.Gateway, publicUrl, clientKey), gateway, upstream));
        }
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
