using System.Text.Json;

namespace GenSafety.Gateway.Proxy;

/// <summary>The <c>usage</c> object of an upstream response, as far as it was reported. Stored in <c>HttpContext.Features</c>.</summary>
/// <param name="PromptTokens">Input tokens.</param>
/// <param name="CompletionTokens">Output tokens.</param>
public sealed record TokenUsage(long PromptTokens, long CompletionTokens)
{
    /// <summary>Reads a usage object; the reader is on its <c>StartObject</c> and ends on its <c>EndObject</c>.</summary>
    public static TokenUsage Read(ref Utf8JsonReader reader)
    {
        long prompt = 0;
        long completion = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPrompt = reader.ValueTextEquals("prompt_tokens"u8);
            var isCompletion = reader.ValueTextEquals("completion_tokens"u8);
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && (isPrompt || isCompletion) && reader.TryGetInt64(out var value) && value >= 0)
            {
                if (isPrompt)
                {
                    prompt = value;
                }
                else
                {
                    completion = value;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return new TokenUsage(prompt, completion);
    }
}
