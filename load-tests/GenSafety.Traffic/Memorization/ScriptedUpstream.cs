using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GenSafety.Traffic.Memorization;

/// <summary>
/// An OpenAI-shaped upstream that answers each known prompt with a fixed text: buffered, or streamed in
/// <see cref="DeltaChars"/>-character deltas. It stands in for a model asked to restyle its output, which the n-gram
/// reference model cannot do. An unknown prompt is a 404.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    /// <summary>Characters per streamed delta (odd, so deltas split words and multi-byte look-alikes differently).</summary>
    public const int DeltaChars = 7;

    private readonly WebApplication _app;

    private ScriptedUpstream(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The upstream's root.</summary>
    public Uri Url { get; }

    /// <summary>The answers' key of <paramref name="prompt"/> sent to <paramref name="model"/>.</summary>
    public static string Key(string model, string prompt) => model + "\u001F" + prompt;

    /// <summary>Starts on a free loopback port, answering <see cref="Key"/>(model, prompt) → text from <paramref name="answers"/>.</summary>
    public static async Task<ScriptedUpstream> StartAsync(IReadOnlyDictionary<string, string> answers, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();

        // Nothing from an appsettings.json beside the binary (a gateway's Kestrel endpoints, in a test folder) applies.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0" });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPost("/v1/completions", (HttpContext context) => AnswerAsync(context, answers));
        await app.StartAsync(cancellationToken);
        return new ScriptedUpstream(app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task AnswerAsync(HttpContext context, IReadOnlyDictionary<string, string> answers)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var prompt = body?["prompt"]?.GetValue<string>();
        var model = body?["model"]?.GetValue<string>() ?? string.Empty;
        if (prompt is null || !answers.TryGetValue(Key(model, prompt), out var text))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new { error = new { message = "unknown prompt", type = "invalid_request_error", code = "not_found" } });
            return;
        }

        if (body!["stream"]?.GetValue<bool>() != true)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = "cmpl-scripted", @object = "text_completion", model = "scripted",
                choices = new[] { new { index = 0, text, finish_reason = "stop" } },
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        for (var start = 0; start < text.Length; start += DeltaChars)
        {
            var delta = text.Substring(start, Math.Min(DeltaChars, text.Length - start));
            await WriteEventAsync(context, new { id = "cmpl-scripted", @object = "text_completion", model = "scripted", choices = new[] { new { index = 0, text = delta, finish_reason = (string?)null } } });
        }

        await WriteEventAsync(context, new { id = "cmpl-scripted", @object = "text_completion", model = "scripted", choices = new[] { new { index = 0, text = string.Empty, finish_reason = (string?)"stop" } } });
        await context.Response.WriteAsync("data: [DONE]\n\n", Encoding.UTF8, context.RequestAborted);
    }

    private static async Task WriteEventAsync(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n", Encoding.UTF8, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
