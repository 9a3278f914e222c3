using GenSafety.ReferenceModel;
using Microsoft.AspNetCore.Builder;

namespace GenSafety.Traffic.Cli;

/// <summary>Starts the reference model in this process on a free loopback port (the demos' undefended target).</summary>
public static class ReferenceModelHosting
{
    /// <summary>Builds and starts the model; <paramref name="configure"/> sets its options. Returns the app and its root URL.</summary>
    public static async Task<(WebApplication App, Uri Url)> StartAsync(Action<ReferenceModelOptions> configure, CancellationToken cancellationToken)
    {
        var app = ReferenceModelApp.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"], configure);
        await app.StartAsync(cancellationToken);
        return (app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }
}
