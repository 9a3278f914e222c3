using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace GenSafety.LoadTests.EchoUpstream;

/// <summary>
/// <c>echo-upstream</c>: a tiny OpenAI-shaped upstream for the self-test. It reads the request body
/// and answers <c>/v1/chat/completions</c> with a fixed completion, or with a few SSE chunks and
/// <c>[DONE]</c> when the body asks to stream; plus <c>/healthz</c> and <c>/v1/models</c>.
/// Responses are encoded once, so that it costs as little CPU as possible on a shared machine.
/// Started with <c>--GenSafety:Admin:Token=T</c> it also stands in for the gateway's contract as the
/// load test uses it: <c>/readyz</c>, <c>POST /admin/clients</c> (returns an <c>api_key</c>) and,
/// once a key exists, a bearer check on <c>/v1/*</c>; it does not proxy.
/// </summary>
internal static class EchoUpstreamApp
{
    private static readonly byte[] Completion = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-echo","object":"chat.completion","created":1700000000,"model":"reference-ngram","choices":[{"index":0,"message":{"role":"assistant","content":"The sea is calm today."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":6,"total_tokens":18}}""");

    private static readonly byte[][] StreamChunks = [.. new[] { string.Empty, "The", " sea", " is", " calm", " today." }
        .Select(Chunk)
        .Append(Sse("""{"id":"chatcmpl-echo","object":"chat.completion.chunk","created":1700000000,"model":"reference-ngram","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"""))
        .Append(Sse("[DONE]"))];

    private static readonly byte[] Models = Encoding.UTF8.GetBytes(
        """{"object":"list","data":[{"id":"reference-ngram","object":"model","created":1700000000,"owned_by":"gensafety"}]}""");

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/v1/models", (HttpContext context) => WriteJsonAsync(context, Models));
        // Echo:StreamPauseMs > 0 pauses a stream once, after its first token, so that time-to-first-token
        // and stream time differ (the self-test checks that they do). One pause, not one per token:
        // timer granularity would otherwise dominate what the stream measures.
        var pause = TimeSpan.FromMilliseconds(app.Configuration.GetValue("Echo:StreamPauseMs", 0.0));
        app.MapPost("/v1/chat/completions", (HttpContext context) => ChatCompletionsAsync(context, pause));
        if (app.Configuration["GenSafety:Admin:Token"] is { Length: > 0 } adminToken)
        {
            var keys = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            app.MapGet("/readyz", () => Results.Text("ready"));
            app.MapPost("/admin/clients", (HttpContext context, ClientRequest client) =>
            {
                if (context.Request.Headers.Authorization != $"Bearer {adminToken}")
                {
                    return Results.Unauthorized();
                }

                var key = "gs-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
                keys[key] = client.Id;
                return Results.Json(new Dictionary<string, string> { ["id"] = client.Id, ["api_key"] = key }, statusCode: StatusCodes.Status201Created);
            });
            app.Use((context, next) =>
            {
                var authorization = context.Request.Headers.Authorization.ToString();
                if (!context.Request.Path.StartsWithSegments("/v1") || keys.IsEmpty
                    || (authorization.StartsWith("Bearer ", StringComparison.Ordinal) && keys.ContainsKey(authorization[7..])))
                {
                    return next(context);
                }

                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            });
        }

        await app.RunAsync();
        return 0;
    }

    private sealed record ClientRequest(string Id);

    private static async Task ChatCompletionsAsync(HttpContext context, TimeSpan pause)
    {
        bool stream;
        try
        {
            using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            stream = request.RootElement.TryGetProperty("stream", out var value) && value.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (!stream)
        {
            await WriteJsonAsync(context, Completion);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        for (var i = 0; i < StreamChunks.Length; i++)
        {
            // Chunk 0 carries the role, chunk 1 the first token.
            if (i == 2 && pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, context.RequestAborted);
            }

            // One flush per event, as a real model streams token by token.
            await context.Response.Body.WriteAsync(StreamChunks[i], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private static Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static byte[] Chunk(string content) => Sse(JsonSerializer.Serialize(new
    {
        id = "chatcmpl-echo",
        @object = "chat.completion.chunk",
        created = 1700000000,
        model = "reference-ngram",
        choices = new[] { new { index = 0, delta = content.Length == 0 ? (object)new { role = "assistant", content } : new { content }, finish_reason = (string?)null } },
    }));

    private static byte[] Sse(string data) => Encoding.UTF8.GetBytes($"data: {data}\n\n");
}
