using System.Text.Json;
using GenSafety.Gateway.Proxy;
using Microsoft.ML.Tokenizers;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Counts the input tokens of a request with the cl100k_base encoding, the way OpenAI bills chat input: each
/// message's text plus 3 tokens of framing, plus 3 for the reply's priming. Other encodings bill within a few
/// percent of this; the count reserves budget at admission and is reconciled with the upstream's <c>usage</c>.
/// </summary>
public sealed class PromptTokenCounter
{
    private const int TokensPerMessage = 3;
    private const int ReplyPriming = 3;

    private readonly Tokenizer _tokenizer = TiktokenTokenizer.CreateForEncoding("cl100k_base");

    /// <summary>Input tokens of a parsed request body of the given route kind (0 for routes without text input).</summary>
    public long Count(string routeKind, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return 0;
        }

        return routeKind switch
        {
            RouteKinds.ChatCompletions when body.TryGetProperty("messages", out var messages) => CountMessages(messages),
            RouteKinds.Completions when body.TryGetProperty("prompt", out var prompt) => CountText(prompt),
            RouteKinds.Embeddings when body.TryGetProperty("input", out var input) => CountText(input),
            RouteKinds.ImagesGenerations when body.TryGetProperty("prompt", out var prompt) => CountText(prompt),
            _ => 0,
        };
    }

    private long CountMessages(JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            return 0;
        }

        long total = ReplyPriming;
        foreach (var message in messages.EnumerateArray())
        {
            total += TokensPerMessage;
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content))
            {
                total += CountText(content);
            }
        }

        return total;
    }

    // Strings, arrays of strings, arrays of token ids (each one token) and content parts ({"type":"text","text":...}).
    private long CountText(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return _tokenizer.CountTokens(value.GetString()!);
            case JsonValueKind.Number:
                return 1;
            case JsonValueKind.Array:
                long total = 0;
                foreach (var item in value.EnumerateArray())
                {
                    total += CountText(item);
                }

                return total;
            case JsonValueKind.Object when value.TryGetProperty("text", out var text):
                return CountText(text);
            default:
                return 0;
        }
    }
}
