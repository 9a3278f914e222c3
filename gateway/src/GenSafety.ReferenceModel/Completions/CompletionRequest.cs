using System.Text.Json;
using GenSafety.ReferenceModel.Http;
using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Completions;

/// <summary>One prompt of a completions request, as text and as tokens.</summary>
internal sealed record PromptInput(string Text, IReadOnlyList<int> Tokens);

/// <summary>A validated <c>POST /v1/completions</c> request.</summary>
internal sealed record CompletionRequest(IReadOnlyList<PromptInput> Prompts, SamplingSettings Settings, int N, bool Echo, bool Stream, bool IncludeUsage)
{
    private const int MaxLegacyLogprobs = 5;
    private const int MaxPrompts = 128;

    public static CompletionRequest Parse(JsonElement root, ReferenceModelOptions options, Cl100kTokenizer tokenizer)
    {
        RequestFields.RequiredString(root, "model");
        var prompts = ParsePrompts(root, tokenizer);
        var settings = SamplingParser.ParseCommon(root, tokenizer);
        var n = SamplingParser.ParseN(root, options.MaxChoices);
        var bestOf = RequestFields.OptionalInt(root, "best_of", 1, options.MaxChoices);
        if (bestOf is not null && bestOf != n)
        {
            throw RequestFields.Invalid("best_of", "only best_of equal to n is supported.", "unsupported_value");
        }

        if (RequestFields.OptionalString(root, "suffix") is { Length: > 0 })
        {
            throw RequestFields.Invalid("suffix", "suffix (insertion) is not supported by this model.", "unsupported_value");
        }

        var (stream, includeUsage) = SamplingParser.ParseStreaming(root);
        return new CompletionRequest(
            prompts,
            settings with
            {
                MaxTokens = RequestFields.OptionalInt(root, "max_tokens", 0, options.MaxTokensLimit) ?? 16,
                TopLogprobs = RequestFields.OptionalInt(root, "logprobs", 0, MaxLegacyLogprobs) ?? -1,
            },
            n,
            RequestFields.OptionalBool(root, "echo") ?? false,
            stream,
            includeUsage);
    }

    /// <summary>Accepts a string, an array of strings, an array of token ids or an array of token-id arrays.</summary>
    private static PromptInput[] ParsePrompts(JsonElement root, Cl100kTokenizer tokenizer)
    {
        if (!RequestFields.TryGet(root, "prompt", out var prompt))
        {
            throw RequestFields.Missing("prompt");
        }

        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                return [FromText(prompt.GetString()!, tokenizer)];
            case JsonValueKind.Array when prompt.GetArrayLength() == 0:
                throw RequestFields.Invalid("prompt", "the prompt array must not be empty.", "empty_array");
            case JsonValueKind.Array when prompt.GetArrayLength() > MaxPrompts:
                throw RequestFields.Invalid("prompt", $"at most {MaxPrompts} prompts are allowed.", "array_above_max_length");
            case JsonValueKind.Array when prompt[0].ValueKind == JsonValueKind.Number:
                return [FromTokens(prompt, tokenizer)];
            case JsonValueKind.Array:
                return prompt.EnumerateArray().Select(item => item.ValueKind switch
                {
                    JsonValueKind.String => FromText(item.GetString()!, tokenizer),
                    JsonValueKind.Array => FromTokens(item, tokenizer),
                    _ => throw RequestFields.WrongType("prompt", "a string, an array of strings or an array of token arrays", item),
                }).ToArray();
            default:
                throw RequestFields.WrongType("prompt", "a string or an array", prompt);
        }
    }

    private static PromptInput FromText(string text, Cl100kTokenizer tokenizer) => new(text, tokenizer.Encode(text));

    private static PromptInput FromTokens(JsonElement array, Cl100kTokenizer tokenizer)
    {
        var tokens = new List<int>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var token) || !tokenizer.IsValid(token))
            {
                throw RequestFields.Invalid("prompt", "token arrays must hold valid cl100k_base token ids.", "invalid_token");
            }

            tokens.Add(token);
        }

        return new PromptInput(tokenizer.Decode(tokens), tokens);
    }
}
