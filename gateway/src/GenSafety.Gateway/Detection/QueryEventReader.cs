using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Turns a <see cref="QueryObservation"/> into a <see cref="QueryEvent"/> on the pipeline's thread: parses the
/// request (prompt text, model, sampling and API-surface parameters) and, when copied, the embeddings response
/// (<c>data[].embedding</c> as numbers or base64 float32). Field types were validated on the request path; values of
/// an unexpected kind are read as absent.
/// </summary>
internal static class QueryEventReader
{
    /// <summary>Longest prompt text kept per event (characters); longer prompts are cut before hashing and embedding.</summary>
    public const int MaxPromptCharacters = 32 * 1024;

    private const int MaxLogitBiasEntries = 4096;

    [ThreadStatic]
    private static PromptHash? t_lastHash;

    /// <summary>Reads the observation. Throws <see cref="JsonException"/> on a body that is not JSON.</summary>
    public static QueryEvent Read(QueryObservation observation)
    {
        using var json = JsonDocument.Parse(observation.RequestBody);
        var root = json.RootElement;
        var prompt = root.ValueKind == JsonValueKind.Object ? Prompt(observation.RouteKind, root) : string.Empty;
        var (query, followUp) = root.ValueKind == JsonValueKind.Object && observation.RouteKind == RouteKinds.ChatCompletions ? LastUserText(root) : (null, false);
        var parameters = root.ValueKind == JsonValueKind.Object ? Parameters(observation.RouteKind, root) : QueryParameters.None;
        var model = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return new QueryEvent(
            observation.Tenant, observation.ClientId, observation.At, observation.RouteKind, prompt, Hash(prompt), model, parameters,
            observation.Usage, observation.FinishReasons, observation.EmbeddingsResponse is { } response ? Embeddings(response) : [])
        {
            QueryText = query ?? prompt,
            SourceNetwork = observation.SourceNetwork,
            FollowUp = followUp,
        };
    }

    /// <summary>The stable 64-bit hash of a prompt: the first 8 bytes (big-endian) of the SHA-256 of its UTF-8.</summary>
    public static ulong Hash(string prompt)
    {
        // A client repeating its prompt is hashed once per run of repeats (per thread).
        if (t_lastHash is { } last && string.Equals(last.Prompt, prompt, StringComparison.Ordinal))
        {
            return last.Hash;
        }

        var hash = HashCore(prompt);
        t_lastHash = new PromptHash(prompt, hash);
        return hash;
    }

    private static ulong HashCore(string prompt)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var size = Encoding.UTF8.GetMaxByteCount(prompt.Length);
        byte[]? rented = null;
        var utf8 = size <= 1024 ? stackalloc byte[size] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            SHA256.HashData(utf8[..Encoding.UTF8.GetBytes(prompt, utf8)], digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }

    internal static string Prompt(string routeKind, JsonElement root) => Prompt(routeKind, root, instructionsOnly: false);

    /// <summary>
    /// What the client instructs the model with: on chat routes the system, developer and user messages (not the
    /// assistant's earlier answers or tool results, which are model or tool output); elsewhere the whole prompt.
    /// </summary>
    internal static string Instructions(string routeKind, JsonElement root) => Prompt(routeKind, root, instructionsOnly: true);

    private static string Prompt(string routeKind, JsonElement root, bool instructionsOnly)
    {
        var text = new StringBuilder();
        switch (routeKind)
        {
            case RouteKinds.ChatCompletions when root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array:
                foreach (var message in messages.EnumerateArray())
                {
                    if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content)
                        && !(instructionsOnly && IsOutput(message)))
                    {
                        AppendContent(text, content);
                    }
                }

                break;
            case RouteKinds.Completions or RouteKinds.ImagesGenerations when root.TryGetProperty("prompt", out var prompt):
                AppendInputs(text, prompt);
                break;
            case RouteKinds.Embeddings when root.TryGetProperty("input", out var input):
                AppendInputs(text, input);
                break;
        }

        return text.Length > MaxPromptCharacters ? text.ToString(0, MaxPromptCharacters) : text.ToString();
    }

    private static bool IsOutput(JsonElement message)
        => message.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String
            && (role.ValueEquals("assistant"u8) || role.ValueEquals("tool"u8) || role.ValueEquals("function"u8));

    // The last user message's text (cut like the prompt; null when there is none), and whether an assistant
    // message comes before it (a follow-up in a conversation).
    private static (string? Text, bool FollowUp) LastUserText(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return (null, false);
        }

        JsonElement? last = null;
        bool assistant = false, followUp = false;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role))
            {
                continue;
            }

            assistant |= role.ValueEquals("assistant"u8);
            if (role.ValueEquals("user"u8) && message.TryGetProperty("content", out var content))
            {
                (last, followUp) = (content, assistant);
            }
        }

        if (last is not { } text)
        {
            return (null, false);
        }

        var builder = new StringBuilder();
        AppendContent(builder, text);
        return (builder.Length > MaxPromptCharacters ? builder.ToString(0, MaxPromptCharacters) : builder.ToString(), followUp);
    }

    // Chat content: a string, or an array of parts whose "text" fields are taken.
    private static void AppendContent(StringBuilder text, JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            AppendLine(text, content.GetString());
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
                {
                    AppendLine(text, partText.GetString());
                }
            }
        }
    }

    // Completions prompts and embedding inputs: a string, strings, token ids, or arrays of token ids.
    private static void AppendInputs(StringBuilder text, JsonElement input)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                AppendLine(text, input.GetString());
                break;
            case JsonValueKind.Number:
                text.Append(input.GetRawText()).Append(' ');
                break;
            case JsonValueKind.Array:
                foreach (var item in input.EnumerateArray())
                {
                    AppendInputs(text, item);
                }

                if (text.Length > 0 && text[^1] == ' ')
                {
                    text[^1] = '\n';
                }

                break;
        }
    }

    private static void AppendLine(StringBuilder text, string? line)
    {
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }

        text.Append(line);
    }

    private static QueryParameters Parameters(string routeKind, JsonElement root)
    {
        var chat = routeKind == RouteKinds.ChatCompletions;
        var logprobs = root.TryGetProperty("logprobs", out var l) ? l : default;
        var chatLogprobs = chat && logprobs.ValueKind == JsonValueKind.True;
        var completionLogprobs = !chat ? Int(logprobs) : null;
        var topLogprobs = chat ? Int(Field(root, "top_logprobs")) : completionLogprobs;
        var maxTokens = OutputTokenLimit.Read(root) is { } limit ? (int)Math.Clamp(limit, int.MinValue, int.MaxValue) : (int?)null;
        var temperature = Field(root, "temperature") is { ValueKind: JsonValueKind.Number } t ? t.GetDouble() : (double?)null;
        var seed = Field(root, "seed") is { ValueKind: JsonValueKind.Number } s && s.TryGetInt64(out var seedValue) ? seedValue : (long?)null;
        return new QueryParameters(
            chatLogprobs || completionLogprobs is not null, topLogprobs, LogitBias(Field(root, "logit_bias")), maxTokens, temperature,
            Int(Field(root, "n")), seed, Field(root, "stream").ValueKind == JsonValueKind.True, Field(root, "echo").ValueKind == JsonValueKind.True);
    }

    private static JsonElement Field(JsonElement root, string name) => root.TryGetProperty(name, out var value) ? value : default;

    private static int? Int(JsonElement value)
        => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? (int)Math.Clamp(number, int.MinValue, int.MaxValue) : null;

    private static LogitBiasEntry[] LogitBias(JsonElement bias)
    {
        if (bias.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var entries = new List<LogitBiasEntry>();
        foreach (var entry in bias.EnumerateObject())
        {
            if (entries.Count == MaxLogitBiasEntries)
            {
                break;
            }

            if (int.TryParse(entry.Name, System.Globalization.NumberStyles.None, null, out var token) && entry.Value.ValueKind == JsonValueKind.Number)
            {
                entries.Add(new LogitBiasEntry(token, entry.Value.GetDouble()));
            }
        }

        return [.. entries];
    }

    private static float[][] Embeddings(byte[] response)
    {
        using var json = JsonDocument.Parse(response);
        if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var vectors = new List<float[]>(data.GetArrayLength());
        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("embedding", out var embedding) && Vector(embedding) is { } vector)
            {
                vectors.Add(vector);
            }
        }

        return [.. vectors];
    }

    private static float[]? Vector(JsonElement embedding)
    {
        if (embedding.ValueKind == JsonValueKind.Array)
        {
            var vector = new float[embedding.GetArrayLength()];
            var i = 0;
            foreach (var value in embedding.EnumerateArray())
            {
                if (value.ValueKind != JsonValueKind.Number)
                {
                    return null;
                }

                vector[i++] = value.GetSingle();
            }

            return vector;
        }

        if (embedding.ValueKind == JsonValueKind.String && embedding.GetString() is { } base64)
        {
            var bytes = new byte[base64.Length * 3 / 4];
            if (Convert.TryFromBase64String(base64, bytes, out var length) && length % sizeof(float) == 0)
            {
                var vector = new float[length / sizeof(float)];
                for (var i = 0; i < vector.Length; i++)
                {
                    vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
                }

                return vector;
            }
        }

        return null;
    }

    private sealed record PromptHash(string Prompt, ulong Hash);
}
