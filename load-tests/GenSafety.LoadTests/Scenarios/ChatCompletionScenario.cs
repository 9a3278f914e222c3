using System.Net.Http.Headers;
using System.Text.Json;

namespace GenSafety.LoadTests.Scenarios;

/// <summary>
/// <c>POST /v1/chat/completions</c> with a small fixed body, non-streaming or streaming. The body is
/// encoded once; each request only wraps it.
/// </summary>
internal sealed class ChatCompletionScenario : IScenario
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly byte[] _body;
    private readonly bool _stream;

    public ChatCompletionScenario(string name, bool stream, string prompt, int maxTokens)
    {
        Name = name;
        _stream = stream;
        var request = new Dictionary<string, object>
        {
            ["model"] = "reference-ngram",
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = prompt } },
            ["max_tokens"] = maxTokens,
            ["temperature"] = 0,
        };
        if (stream)
        {
            request["stream"] = true;
        }

        _body = JsonSerializer.SerializeToUtf8Bytes(request);
    }

    public string Name { get; }

    public bool MeasuresFirstToken => _stream;

    public static IScenario Create(string name, string prompt, int maxTokens) => name switch
    {
        ScenarioNames.Chat => new ChatCompletionScenario(name, stream: false, prompt, maxTokens),
        ScenarioNames.ChatStream => new ChatCompletionScenario(name, stream: true, prompt, maxTokens),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown scenario"),
    };

    public async Task<RequestOutcome> SendAsync(HttpMessageInvoker client, LoadTarget target, ReadBuffer buffer, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(_body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, target.ChatCompletions) { Content = content };
        request.Headers.Authorization = target.Authorization;

        // The raw handler returns as soon as the headers are in; the body is read below, to the end.
        using var response = await client.SendAsync(request, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await DrainAsync(body, buffer, cancellationToken);
            return RequestOutcome.Failed($"HTTP {(int)response.StatusCode}");
        }

        if (!_stream)
        {
            return await DrainAsync(body, buffer, cancellationToken) > 0
                ? RequestOutcome.Ok()
                : RequestOutcome.Failed("empty body");
        }

        var sse = await SseStreamReader.ReadToEndAsync(body, buffer, cancellationToken);
        return sse switch
        {
            { FirstTokenTimestamp: 0 } => RequestOutcome.Failed("stream: no token"),
            { SawDone: false } => RequestOutcome.Failed("stream: no [DONE]"),
            _ => RequestOutcome.Ok(sse.FirstTokenTimestamp),
        };
    }

    private static async Task<long> DrainAsync(Stream body, ReadBuffer buffer, CancellationToken cancellationToken)
    {
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer.Bytes, cancellationToken)) > 0)
        {
            total += read;
        }

        return total;
    }
}
