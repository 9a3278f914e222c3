using System.Security.Cryptography;
using GenSafety.Gateway.Admin;
using GenSafety.Gateway.Hosting;
using GenSafety.ReferenceModel;

namespace GenSafety.Gateway.Demo;

/// <summary>
/// <c>--demo</c>: starts the reference model on loopback and the gateway in front of it with in-memory state,
/// creates a client, and prints the admin token, the client key and a ready-to-paste streaming curl.
/// </summary>
public static class DemoMode
{
    /// <summary>The command-line switch.</summary>
    public const string Switch = "--demo";

    /// <summary>Client id of the demo client.</summary>
    public const string DemoClientId = "demo";

    /// <summary>Whether the arguments ask for demo mode.</summary>
    public static bool IsRequested(string[] args) => Array.IndexOf(args, Switch) >= 0;

    /// <summary>Runs the demo until Ctrl+C.</summary>
    public static async Task RunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        var gatewayArgs = Array.FindAll(args, a => a != Switch);
        await using var model = ReferenceModelApp.Build(
            ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"],
            options => options.StreamTokenDelayMs = Math.Max(options.StreamTokenDelayMs, 25));
        await model.StartAsync(cancellationToken);

        var builder = GatewayApp.CreateBuilder(gatewayArgs);
        var settings = DemoSettings(builder.Configuration, model.Urls.First());
        builder.Configuration.AddInMemoryCollection(settings);
        await using var app = GatewayApp.Build(builder);
        await app.StartAsync(cancellationToken);

        var registry = app.Services.GetRequiredService<ClientRegistry>();
        var chosenKey = builder.Configuration["GenSafety:Demo:ClientKey"];
        var (_, clientKey) = await registry.CreateAsync(new CreateClientRequest { Id = DemoClientId, Name = "Demo client" },
            string.IsNullOrEmpty(chosenKey) ? null : chosenKey, cancellationToken);

        var ports = app.Services.GetRequiredService<ListenerPorts>();
        await output.WriteLineAsync(Banner(ports, model.Urls.First(), builder.Configuration["GenSafety:Admin:Token"]!, clientKey));
        await output.FlushAsync(cancellationToken);

        await app.WaitForShutdownAsync(cancellationToken);
        await model.StopAsync(CancellationToken.None);
    }

    private static Dictionary<string, string?> DemoSettings(ConfigurationManager configuration, string modelUrl)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:upstream:Destinations:primary:Address"] = modelUrl.TrimEnd('/') + "/",
            // The demo is one process: in-memory state, whatever the environment says.
            ["GenSafety:Redis:ConnectionString"] = string.Empty,
        };
        if (string.IsNullOrEmpty(configuration["GenSafety:Admin:Token"]) && string.IsNullOrEmpty(configuration["GenSafety:Admin:TokenFile"]))
        {
            settings["GenSafety:Admin:Token"] = "gsadm_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        }

        if (string.IsNullOrEmpty(configuration["GenSafety:Identity:KeyPepper"]) && string.IsNullOrEmpty(configuration["GenSafety:Identity:KeyPepperFile"]))
        {
            settings["GenSafety:Identity:KeyPepper"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        }

        return settings;
    }

    private static string Banner(ListenerPorts ports, string modelUrl, string adminToken, string clientKey)
    {
        var publicUrl = $"http://localhost:{ports.PublicPort}";
        var adminUrl = $"http://localhost:{ports.AdminPort}";
        return $"""

            GenSafety Gateway demo (in-memory state, single instance)
              gateway:          {publicUrl}   (OpenAI-compatible, /v1/...)
              admin:            {adminUrl}   (/healthz /readyz /metrics /admin/...)
              reference model:  {modelUrl}
              admin token:      {adminToken}
              client key:       {clientKey}

            Stream a chat completion through the gateway:
              curl -N {publicUrl}/v1/chat/completions -H "Authorization: Bearer {clientKey}" -H "Content-Type: application/json" -d '{"{"}"model":"reference-ngram","stream":true,"max_tokens":64,"temperature":0,"messages":[{"{"}"role":"user","content":"Tell me about the sea"{"}"}]{"}"}'

            Look at the client's usage:
              curl {adminUrl}/admin/clients/{DemoClientId} -H "Authorization: Bearer {adminToken}"

            Press Ctrl+C to stop.
            """;
    }
}
