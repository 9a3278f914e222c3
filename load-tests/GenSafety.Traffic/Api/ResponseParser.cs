using System.Text.Json;

namespace GenSafety.Traffic.Api;

/// <summary>Reads the parts of OpenAI-shaped response bodies that <see cref="TrafficResponse"/> keeps.</summary>
public static class ResponseParser
{
    /// <summary>
    /// Parses <paramref name="body"/> of a response with <paramref name="status"/> on <paramref name="route"/>; a
    /// body that is not the expected JSON yields the status alone with error code <c>unparsable_body</c>.
    /// </summary>
    public static TrafficResponse Parse(TrafficRoute route, int status, string body, double latencyMs, string? degraded, int attempts)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (status is < 200 or >= 300)
            {
                return new TrafficResponse { Status = status, ErrorCode = ErrorCode(root) ?? "http_" + status, LatencyMs = latencyMs, Degraded = degraded, Attempts = attempts };
            }

            var (promptTokens, completionTokens) = Usage(root);
            return route == TrafficRoute.Embeddings
                ? new TrafficResponse
                {
                    Status = status, LatencyMs = latencyMs, Degraded = degraded, Attempts = attempts,
                    Embeddings = ReadEmbeddings(root), PromptTokens = promptTokens,
                }
                : ReadChat(root, status, latencyMs, degraded, attempts, promptTokens, completionTokens);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return new TrafficResponse { Status = status, ErrorCode = "unparsable_body", LatencyMs = latencyMs, Degraded = degraded, Attempts = attempts };
        }
    }

    private static TrafficResponse ReadChat(JsonElement root, int status, double latencyMs, string? degraded, int attempts, int promptTokens, int completionTokens)
    {
        var choice = root.GetProperty("choices")[0];
        var content = choice.TryGetProperty("message", out var message) && message.TryGetProperty("content", out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()
            : null;
        var finish = choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;
        var top = new List<TopLogprob>();
        if (choice.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.Object
            && logprobs.TryGetProperty("content", out var positions) && positions.ValueKind == JsonValueKind.Array && positions.GetArrayLength() > 0
            && positions[0].TryGetProperty("top_logprobs", out var alternatives) && alternatives.ValueKind == JsonValueKind.Array)
        {
            foreach (var alternative in alternatives.EnumerateArray())
            {
                top.Add(new TopLogprob(alternative.GetProperty("token").GetString() ?? string.Empty, alternative.GetProperty("logprob").GetDouble()));
            }
        }

        return new TrafficResponse
        {
            Status = status, LatencyMs = latencyMs, Degraded = degraded, Attempts = attempts,
            Content = content, FinishReason = finish, TopLogprobs = top, PromptTokens = promptTokens, CompletionTokens = completionTokens,
        };
    }

    private static List<float[]> ReadEmbeddings(JsonElement root)
    {
        var data = root.GetProperty("data");
        var vectors = new float[data.GetArrayLength()][];
        foreach (var item in data.EnumerateArray())
        {
            var index = item.TryGetProperty("index", out var i) ? i.GetInt32() : Array.IndexOf(vectors, null);
            var embedding = item.GetProperty("embedding");
            vectors[index] = embedding.ValueKind == JsonValueKind.String
                ? FromBase64(embedding.GetString()!)
                : [.. embedding.EnumerateArray().Select(v => v.GetSingle())];
        }

        return [.. vectors];
    }

    private static float[] FromBase64(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        var floats = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, floats, 0, floats.Length * sizeof(float));
        return floats;
    }

    private static (int Prompt, int Completion) Usage(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
        {
            return (0, 0);
        }

        return (
            usage.TryGetProperty("prompt_tokens", out var p) && p.TryGetInt32(out var prompt) ? prompt : 0,
            usage.TryGetProperty("completion_tokens", out var c) && c.TryGetInt32(out var completion) ? completion : 0);
    }

    private static string? ErrorCode(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
            ? code.GetString()
            : null;
}
