using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// Reads the token logprobs of one choice (a buffered response's or a stream chunk's) for
/// <see cref="MemorizedRunDetector"/>: chat <c>logprobs.content[]</c> (<c>token</c>, <c>logprob</c>,
/// <c>top_logprobs[].logprob</c>); completions <c>logprobs.tokens[]</c>, <c>token_logprobs[]</c> and
/// <c>top_logprobs[]</c> (objects of token → logprob). Entries of an unexpected shape are skipped: the detector then
/// sees a shorter run, never a longer one.
/// </summary>
internal static class LogprobTokens
{
    /// <summary>Most tokens kept per choice (a memorised run needs 50; longer outputs keep their first tokens).</summary>
    public const int MaxTokens = 16_384;

    /// <summary>Appends the choice's tokens to <paramref name="tokens"/> (up to <see cref="MaxTokens"/>).</summary>
    public static void Append(JsonObject choice, string routeKind, List<TokenLogprob> tokens)
    {
        if (choice["logprobs"] is not JsonObject logprobs)
        {
            return;
        }

        if (routeKind == RouteKinds.Completions)
        {
            AppendCompletions(logprobs, tokens);
            return;
        }

        if (logprobs["content"] is not JsonArray content)
        {
            return;
        }

        foreach (var entry in content)
        {
            if (tokens.Count >= MaxTokens)
            {
                return;
            }

            if (entry is JsonObject item && Text(item["token"]) is { } token && Number(item["logprob"]) is { } logprob)
            {
                tokens.Add(new TokenLogprob(token, logprob, Alternatives(item["top_logprobs"])));
            }
        }
    }

    private static void AppendCompletions(JsonObject logprobs, List<TokenLogprob> tokens)
    {
        if (logprobs["tokens"] is not JsonArray names || logprobs["token_logprobs"] is not JsonArray values)
        {
            return;
        }

        var top = logprobs["top_logprobs"] as JsonArray;
        for (var i = 0; i < Math.Min(names.Count, values.Count) && tokens.Count < MaxTokens; i++)
        {
            if (Text(names[i]) is { } token && Number(values[i]) is { } logprob)
            {
                IReadOnlyList<double>? alternatives = top is not null && i < top.Count && top[i] is JsonObject map
                    ? [.. map.Select(kv => Number(kv.Value)).OfType<double>()]
                    : null;
                tokens.Add(new TokenLogprob(token, logprob, alternatives));
            }
        }
    }

    private static List<double>? Alternatives(JsonNode? node)
    {
        if (node is not JsonArray array)
        {
            return null;
        }

        var result = new List<double>(array.Count);
        foreach (var alternative in array)
        {
            if (alternative is JsonObject item && Number(item["logprob"]) is { } logprob)
            {
                result.Add(logprob);
            }
        }

        return result;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : null;
}
