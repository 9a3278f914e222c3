using System.Text.Json;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.AspNetCore.Http;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary>
/// A scripted upstream that answers chat completions and completions with the texts the test sets (one per choice):
/// as one JSON body, or, when the request says <c>"stream": true</c>, as SSE chunks of <see cref="DeltaChars"/>
/// characters per choice, interleaved across choices.
/// </summary>
internal sealed class MemorizationUpstream : IAsyncDisposable
{
    private ScriptedUpstream _upstream = null!;

    public string[] Texts { get; set; } = ["Hello."];

    public int DeltaChars { get; set; } = 7;

    /// <summary>Base64 images <c>/v1/images/generations</c> returns.</summary>
    public string[] Images { get; set; } = [];

    public string Url => _upstream.Url;

    public static async Task<MemorizationUpstream> StartAsync()
    {
        var self = new MemorizationUpstream();
        self._upstream = await ScriptedUpstream.StartAsync(self.HandleAsync);
        return self;
    }

    public ValueTask DisposeAsync() => _upstream.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var request = await JsonDocument.ParseAsync(context.Request.Body);
        if (context.Request.Path.Value!.EndsWith("/images/generations", StringComparison.Ordinal))
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { created = 7, data = Images.Select(b64 => new { b64_json = b64, revised_prompt = "p" }) }));
            return;
        }

        var stream = request.RootElement.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var completions = context.Request.Path.Value!.EndsWith("/completions", StringComparison.Ordinal) && !context.Request.Path.Value.Contains("chat", StringComparison.Ordinal);
        var texts = Texts;
        if (!stream)
        {
            context.Response.ContentType = "application/json";
            var choices = texts.Select((t, i) => completions
                ? (object)new { index = i, text = t, finish_reason = "stop", logprobs = (object?)null }
                : new { index = i, message = new { role = "assistant", content = t }, finish_reason = "stop" });
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                id = "r1", @object = completions ? "text_completion" : "chat.completion", created = 7, model = "m", choices,
                usage = new { prompt_tokens = 3, completion_tokens = 50, total_tokens = 53 },
            }));
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var longest = texts.Max(t => t.Length);
        for (var offset = 0; offset < longest; offset += DeltaChars)
        {
            for (var i = 0; i < texts.Length; i++)
            {
                if (offset >= texts[i].Length)
                {
                    continue;
                }

                var piece = texts[i].Substring(offset, Math.Min(DeltaChars, texts[i].Length - offset));
                object choice = completions
                    ? new { index = i, text = piece, finish_reason = (string?)null }
                    : new { index = i, delta = new { content = piece }, finish_reason = (string?)null };
                await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(new
                {
                    id = "r1", @object = completions ? "text_completion" : "chat.completion.chunk", created = 7, model = "m", choices = new[] { choice },
                }) + "\n\n");
                await context.Response.Body.FlushAsync();
            }
        }

        for (var i = 0; i < texts.Length; i++)
        {
            object choice = completions
                ? new { index = i, text = string.Empty, finish_reason = "stop" }
                : new { index = i, delta = new { }, finish_reason = "stop" };
            await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(new
            {
                id = "r1", @object = completions ? "text_completion" : "chat.completion.chunk", created = 7, model = "m", choices = new[] { choice },
            }) + "\n\n");
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    }
}
