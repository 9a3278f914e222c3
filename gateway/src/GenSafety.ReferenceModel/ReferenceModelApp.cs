using GenSafety.ReferenceModel.Hosting;

namespace GenSafety.ReferenceModel;

/// <summary>
/// Builds the reference model server: a small real generative model (n-gram text over cl100k tokens, MiniLM
/// embeddings, procedural images) behind an OpenAI-compatible HTTP API. The gateway hosts it in-process for
/// demo mode and tests; <c>Program.cs</c> runs it standalone.
/// </summary>
public static class ReferenceModelApp
{
    /// <summary>
    /// Builds (does not start) the server. <paramref name="args"/> are ordinary ASP.NET Core arguments (for example
    /// <c>--urls http://127.0.0.1:5123</c>); the configuration section <c>ReferenceModel</c> binds
    /// <see cref="ReferenceModelOptions"/>, then <paramref name="configure"/> runs. Options are validated at start.
    /// </summary>
    public static WebApplication Build(string[] args, Action<ReferenceModelOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(ReferenceModelApp).Assembly.GetName().Name,
        });
        // In-process hosts (demo, tests) share a folder with the gateway's appsettings.json: its Kestrel endpoints are
        // the gateway's, so the model reads its own section and otherwise listens where --urls says.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Configure(builder.Configuration.GetSection("ReferenceModel:Kestrel")));
        builder.Services.AddReferenceModel(configure);
        var app = builder.Build();
        app.MapReferenceModel();
        return app;
    }
}
