using System.ClientModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;

namespace GenSafety.ReferenceModel.Tests.TestHost;

/// <summary>A reference model server on a real Kestrel loopback port.</summary>
public sealed class ReferenceModelHost : IAsyncDisposable
{
    private ReferenceModelHost(WebApplication app)
    {
        App = app;
        BaseUrl = app.Urls.Single().TrimEnd('/');
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public ReferenceModelActivity Activity => App.Services.GetRequiredService<ReferenceModelActivity>();

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<ReferenceModelHost> StartAsync(Action<ReferenceModelOptions>? configure = null, params string[] extraArgs)
    {
        string[] args = ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. extraArgs];
        var app = ReferenceModelApp.Build(args, configure);
        await app.StartAsync();
        return new ReferenceModelHost(app);
    }

    /// <summary>Options for the official OpenAI client pointed at this server.</summary>
    public OpenAIClient OpenAI() => new(new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = new Uri(BaseUrl + "/v1") });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
