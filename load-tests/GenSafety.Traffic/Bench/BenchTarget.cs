using System.Security.Cryptography;
using GenSafety.Traffic.Cli;
using Microsoft.AspNetCore.Builder;

namespace GenSafety.Traffic.Bench;

/// <summary>
/// What the detection benchmark runs against: the reference model (in this process, its default n-gram and MiniLM
/// mode) and the built gateway as a child process in front of it, on Redis, with detection on (its defaults), the
/// admin API on its own port and a fresh admin token, key pepper and Redis key prefix. Disposing stops both.
/// </summary>
public sealed class BenchTarget : IAsyncDisposable
{
    private readonly WebApplication _model;
    private readonly GatewayProcess _gateway;

    private BenchTarget(WebApplication model, Uri modelUrl, GatewayProcess gateway)
    {
        _model = model;
        ModelUrl = modelUrl;
        _gateway = gateway;
    }

    /// <summary>The reference model, undefended (the oracle of clean embeddings).</summary>
    public Uri ModelUrl { get; }

    /// <summary>The gateway's public root.</summary>
    public Uri GatewayUrl => _gateway.PublicUrl;

    /// <summary>The gateway's admin root.</summary>
    public Uri AdminUrl => _gateway.AdminUrl;

    /// <summary>The admin bearer token.</summary>
    public string AdminToken => _gateway.AdminToken;

    /// <summary>What the gateway wrote to stdout and stderr so far.</summary>
    public string GatewayOutput => _gateway.Output;

    /// <summary>
    /// Starts the model, then <c>dotnet <paramref name="gatewayDll"/></c> on <paramref name="redis"/> with
    /// <paramref name="gatewayArgs"/> (<c>--Key=value</c> overrides, last), and waits for the gateway's <c>/readyz</c>.
    /// </summary>
    public static async Task<BenchTarget> StartAsync(string gatewayDll, string redis, IEnumerable<string> gatewayArgs, CancellationToken cancellationToken)
    {
        if (!File.Exists(gatewayDll))
        {
            throw new FileNotFoundException($"No gateway build at '{gatewayDll}': build gateway/src/GenSafety.Gateway first.", gatewayDll);
        }

        var (model, modelUrl) = await ReferenceModelHosting.StartAsync(_ => { }, cancellationToken);
        try
        {
            string[] args =
            [
                $"--GenSafety:Redis:ConnectionString={redis}",
                $"--GenSafety:Redis:KeyPrefix=gsb{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}",
                "--GenSafety:Detection:Enabled=true",
                .. gatewayArgs,
            ];
            var gateway = await GatewayProcess.StartAsync(gatewayDll, modelUrl, args, cancellationToken);
            return new BenchTarget(model, modelUrl, gateway);
        }
        catch
        {
            await model.StopAsync(CancellationToken.None);
            await model.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _model.StopAsync();
        await _model.DisposeAsync();
    }
}
