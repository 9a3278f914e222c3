using GenSafety.ReferenceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace GenSafety.Gateway.Tests.TestHosts;

/// <summary>The real reference model on a loopback port.</summary>
public sealed class ReferenceModelHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ReferenceModelHost(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public ReferenceModelActivity Activity => _app.Services.GetRequiredService<ReferenceModelActivity>();

    public static async Task<ReferenceModelHost> StartAsync(Action<ReferenceModelOptions>? configure = null)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var app = ReferenceModelApp.Build(["--urls", url, "--Logging:LogLevel:Default=Warning"], configure);
        await app.StartAsync();
        return new ReferenceModelHost(app, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
