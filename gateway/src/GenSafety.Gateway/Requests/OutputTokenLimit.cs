using System.Text.Json;

namespace GenSafety.Gateway.Requests;

/// <summary>
/// The output-token limit a request asks for, read the same way wherever the gateway needs it (admission's token
/// reservation, the detectors' <c>QueryParameters.MaxTokens</c>): <c>max_completion_tokens</c> when it is an integer
/// (newer chat clients and reasoning models send it), else <c>max_tokens</c>; null when neither is.
/// </summary>
public static class OutputTokenLimit
{
    /// <summary>The limit in <paramref name="body"/> (a request's root JSON value), or null.</summary>
    public static long? Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["max_completion_tokens", "max_tokens"])
        {
            if (body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var tokens))
            {
                return tokens;
            }
        }

        return null;
    }
}
