using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace GenSafety.Traffic.Memorization;

/// <summary>
/// Greedy completions through one endpoint (a gateway or a bare upstream), buffered or streamed, read the way a
/// client reads them: the text received and whether the gateway stopped it.
/// </summary>
public sealed class CompletionProbe(HttpClient http, Uri root, string? apiKey, int maxTokens)
{
    /// <summary>The reference model's text model id.</summary>
    public const string ReferenceModelId = "reference-ngram";

    /// <summary>Legacy completion of <paramref name="prompt"/> (<c>/v1/completions</c>), temperature 0.</summary>
    public Task<ProbeResult> CompleteAsync(string prompt, bool stream, CancellationToken cancellationToken) =>
        CompleteAsync(ReferenceModelId, prompt, stream, cancellationToken);

    /// <summary>Legacy completion of <paramref name="prompt"/> from <paramref name="model"/>, temperature 0.</summary>
    public Task<ProbeResult> CompleteAsync(string model, string prompt, bool stream, CancellationToken cancellationToken) =>
        SendAsync("v1/completions", new Dictionary<string, object> { ["model"] = model, ["prompt"] = prompt }, stream, cancellationToken);

    /// <summary>One user turn <paramref name="message"/> (<c>/v1/chat/completions</c>), temperature 0.</summary>
    public Task<ProbeResult> ChatAsync(string message, bool stream, CancellationToken cancellationToken) =>
        SendAsync("v1/chat/completions", new Dictionary<string, object> { ["model"] = ReferenceModelId, ["messages"] = new[] { new { role = "user", content = message } } }, stream, cancellationToken);

    private async Task<ProbeResult> SendAsync(string path, Dictionary<string, object> body, bool stream, CancellationToken cancellationToken)
    {
        body["max_tokens"] = maxTokens;
        body["temperature"] = 0;
        body["stream"] = stream;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(root, path))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var status = (int)response.StatusCode;
        var content = await response.Content.ReadAsStringAsync(cancellationToken);
        if (status == 451)
        {
            return new ProbeResult(status, string.Empty, Stopped: true);
        }

        if (status is < 200 or >= 300)
        {
            throw new HttpRequestException($"POST /{path} answered HTTP {status}: {(content.Length <= 300 ? content : content[..300])}");
        }

        return stream ? ReadStream(status, content) : ReadBuffered(status, content);
    }

    private static ProbeResult ReadBuffered(int status, string content)
    {
        using var json = JsonDocument.Parse(content);
        var choice = json.RootElement.GetProperty("choices")[0];
        return new ProbeResult(status, ChoiceText(choice), IsContentFilter(choice));
    }

    private static ProbeResult ReadStream(int status, string content)
    {
        var text = new StringBuilder();
        var stopped = false;
        foreach (var line in content.Split('\n'))
        {
            var data = line.TrimEnd('\r');
            if (!data.StartsWith("data: ", StringComparison.Ordinal) || data == "data: [DONE]")
            {
                continue;
            }

            using var json = JsonDocument.Parse(data.AsMemory(6));
            var root = json.RootElement;
            stopped |= root.TryGetProperty("gensafety", out _);
            if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var choice in choices.EnumerateArray())
            {
                text.Append(ChoiceText(choice));
                stopped |= IsContentFilter(choice);
            }
        }

        return new ProbeResult(status, text.ToString(), stopped);
    }

    private static string ChoiceText(JsonElement choice)
    {
        if (choice.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
        {
            return text.GetString()!;
        }

        foreach (var name in (string[])["message", "delta"])
        {
            if (choice.TryGetProperty(name, out var message) && message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("content", out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString()!;
            }
        }

        return string.Empty;
    }

    private static bool IsContentFilter(JsonElement choice) =>
        choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String && reason.GetString() == "content_filter";
}
