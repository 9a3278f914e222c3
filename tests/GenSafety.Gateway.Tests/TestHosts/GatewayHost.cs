using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GenSafety.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GenSafety.Gateway.Tests.TestHosts;

/// <summary>A real gateway (both Kestrel listeners) in front of a given upstream, with helpers to create clients.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789";
    public const string Pepper = "test-pepper-0123456789abcdef";

    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, string publicUrl, string adminUrl)
    {
        _app = app;
        PublicUrl = publicUrl;
        AdminUrl = adminUrl;
        Public = new HttpClient { BaseAddress = new Uri(publicUrl), Timeout = TimeSpan.FromSeconds(60) };
        Admin = new HttpClient { BaseAddress = new Uri(adminUrl), Timeout = TimeSpan.FromSeconds(60) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public string PublicUrl { get; }

    public string AdminUrl { get; }

    /// <summary>Client for the public listener (no key set).</summary>
    public HttpClient Public { get; }

    /// <summary>Client for the admin listener, with the admin token.</summary>
    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a gateway forwarding to <paramref name="upstreamUrl"/>; <paramref name="extraArgs"/> are <c>--Key=value</c> overrides.</summary>
    public static async Task<GatewayHost> StartAsync(string upstreamUrl, IEnumerable<string>? extraArgs = null, Action<IServiceCollection>? services = null)
    {
        var (publicUrl, adminUrl, args) = Arguments(upstreamUrl, extraArgs);
        var builder = GatewayApp.CreateBuilder(args);
        services?.Invoke(builder.Services);
        var app = GatewayApp.Build(builder);
        await app.StartAsync();
        return new GatewayHost(app, publicUrl, adminUrl);
    }

    /// <summary>Fresh listener URLs and the command line of a test gateway (also used by <see cref="GatewayProcess"/>).</summary>
    public static (string PublicUrl, string AdminUrl, string[] Args) Arguments(string upstreamUrl, IEnumerable<string>? extraArgs)
    {
        var publicUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var adminUrl = $"http://127.0.0.1:{FreePort.Next()}";
        string[] args =
        [
            $"--Kestrel:Endpoints:Public:Url={publicUrl}",
            $"--Kestrel:Endpoints:Admin:Url={adminUrl}",
            $"--ReverseProxy:Clusters:upstream:Destinations:primary:Address={upstreamUrl.TrimEnd('/')}/",
            $"--GenSafety:Admin:Token={AdminToken}",
            $"--GenSafety:Identity:KeyPepper={Pepper}",
            "--Logging:LogLevel:Default=Warning",
            .. extraArgs ?? [],
        ];
        return (publicUrl, adminUrl, args);
    }

    /// <summary>Creates a client through the admin API and returns its key.</summary>
    public async Task<string> CreateClientKeyAsync(string? id = null, string? tenant = null)
    {
        var response = await Admin.PostAsJsonAsync("/admin/clients", new { id = id ?? "c-" + Guid.NewGuid().ToString("N")[..12], tenant });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("api_key").GetString()!;
    }

    /// <summary>A public-listener client that sends <paramref name="key"/>.</summary>
    public HttpClient PublicWithKey(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(PublicUrl), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Public.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
