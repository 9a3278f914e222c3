using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GenSafety.Gateway.Tests.TestHosts;

/// <summary>
/// A real Kestrel upstream whose answer the test scripts: for what the reference model will not do on purpose
/// (garbage bodies, broken streams) and to see exactly what the gateway sent upstream.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedUpstream(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Headers of the last request that reached the upstream.</summary>
    public IHeaderDictionary? LastRequestHeaders { get; private set; }

    public static async Task<ScriptedUpstream> StartAsync(RequestDelegate handler)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        // An empty content root: the test output holds the gateway's appsettings.json, whose Kestrel endpoints must not apply here.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ScriptedUpstream? self = null;
        app.Run(context =>
        {
            if (context.Request.Path == "/healthz")
            {
                return context.Response.WriteAsync("ok");
            }

            self!.LastRequestHeaders = new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value));
            return handler(context);
        });
        self = new ScriptedUpstream(app, url);
        await app.StartAsync();
        return self;
    }

    /// <summary>An upstream that answers every request with the same status, content type and body.</summary>
    public static Task<ScriptedUpstream> StartFixedAsync(string body, int status = 200, string contentType = "application/json")
        => StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        });

    /// <summary>An upstream that lists no models: the cheapest successful answer.</summary>
    public static Task<ScriptedUpstream> StartModelListAsync() => StartFixedAsync("{\"object\":\"list\",\"data\":[]}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
