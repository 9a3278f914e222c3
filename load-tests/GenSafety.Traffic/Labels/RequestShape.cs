using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;

namespace GenSafety.Traffic.Labels;

/// <summary>
/// The API-surface parameters of a request, as detectors see them, plus a digest of its prompt: enough to tell
/// what a request was without keeping its text.
/// </summary>
public sealed record RequestShape
{
    /// <summary>First 16 hex digits of SHA-256 of the prompt text (equal prompts, equal digests).</summary>
    public required string PromptDigest { get; init; }

    /// <summary>Prompt length in characters.</summary>
    public int PromptChars { get; init; }

    /// <summary>Chat messages, or embedding inputs.</summary>
    public int Items { get; init; }

    /// <summary><c>max_tokens</c> or <c>max_completion_tokens</c>.</summary>
    public int? MaxTokens { get; init; }

    /// <summary><c>temperature</c>.</summary>
    public double? Temperature { get; init; }

    /// <summary><c>top_p</c>.</summary>
    public double? TopP { get; init; }

    /// <summary><c>n</c>.</summary>
    public int? N { get; init; }

    /// <summary><c>logprobs</c>.</summary>
    public bool Logprobs { get; init; }

    /// <summary><c>top_logprobs</c>.</summary>
    public int? TopLogprobs { get; init; }

    /// <summary>Entries in <c>logit_bias</c>.</summary>
    public int BiasCount { get; init; }

    /// <summary>Largest |bias| in <c>logit_bias</c>.</summary>
    public double BiasMaxAbs { get; init; }

    /// <summary>Reads the shape of <paramref name="request"/>.</summary>
    public static RequestShape Of(TrafficRequest request)
    {
        var body = request.Body;
        var bias = body["logit_bias"] as JsonObject;
        var items = request.Route == TrafficRoute.Embeddings
            ? body["input"] is JsonArray inputs ? inputs.Count : 1
            : (body["messages"] as JsonArray)?.Count ?? 0;
        return new RequestShape
        {
            PromptDigest = Digest(request.PromptText),
            PromptChars = request.PromptText.Length,
            Items = items,
            MaxTokens = Int(body["max_tokens"]) ?? Int(body["max_completion_tokens"]),
            Temperature = Number(body["temperature"]),
            TopP = Number(body["top_p"]),
            N = Int(body["n"]),
            Logprobs = body["logprobs"] is JsonValue l && l.GetValueKind() == JsonValueKind.True,
            TopLogprobs = Int(body["top_logprobs"]),
            BiasCount = bias?.Count ?? 0,
            BiasMaxAbs = bias is null || bias.Count == 0 ? 0 : bias.Max(b => Math.Abs(Number(b.Value) ?? 0)),
        };
    }

    /// <summary>First 16 hex digits of SHA-256 of <paramref name="text"/> (UTF-8).</summary>
    public static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    // Parsed from the JSON text: a JsonValue built from an int does not hand out a double.
    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    private static int? Int(JsonNode? node) => Number(node) is { } number ? (int)number : null;
}
