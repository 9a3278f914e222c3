using GenSafety.ReferenceModel.Completions;
using GenSafety.ReferenceModel.Embeddings;
using GenSafety.ReferenceModel.Http;
using GenSafety.ReferenceModel.Images;
using GenSafety.ReferenceModel.Models;

namespace GenSafety.ReferenceModel.Hosting;

/// <summary>Routes of the OpenAI-compatible API and the health endpoint.</summary>
internal static class ReferenceModelEndpointRouteBuilderExtensions
{
    public static WebApplication MapReferenceModel(this WebApplication app)
    {
        app.MapGet("/healthz", context =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("ok", context.RequestAborted);
        });

        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal),
            branch => branch.UseMiddleware<ModelRequestMiddleware>());

        app.MapPost("/v1/chat/completions", Handle<ChatCompletionsEndpoint>((e, c) => e.HandleAsync(c)));
        app.MapPost("/v1/completions", Handle<CompletionsEndpoint>((e, c) => e.HandleAsync(c)));
        app.MapPost("/v1/embeddings", Handle<EmbeddingsEndpoint>((e, c) => e.HandleAsync(c)));
        app.MapPost("/v1/images/generations", Handle<ImagesEndpoint>((e, c) => e.HandleAsync(c)));
        app.MapGet("/v1/models", Handle<ModelsEndpoint>((e, c) => e.ListAsync(c)));
        app.MapGet("/v1/models/{id}", Handle<ModelsEndpoint>((e, c) => e.GetAsync(c)));
        app.Map("/v1/{**path}", context => throw new OpenAiRequestException(
            $"Invalid URL ({context.Request.Method} {context.Request.Path})", param: null, code: "unknown_url", StatusCodes.Status404NotFound));
        return app;
    }

    private static RequestDelegate Handle<TEndpoint>(Func<TEndpoint, HttpContext, Task> handler)
        where TEndpoint : notnull =>
        context => handler(context.RequestServices.GetRequiredService<TEndpoint>(), context);
}
