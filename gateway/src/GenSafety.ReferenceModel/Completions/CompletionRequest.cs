using System.Text.Json;
using GenSafety.ReferenceModel.Http;
using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Completions;

/// <summary>One prompt of a completions request, as text and as tokens.</summary>
internal sealed record PromptInput(string Text, IReadOnlyList<int> Tokens);

/// <summary>A validated <c>POST /v1/completions</c> request.</summary>
/// <param name="Prompts">The prompts.</param>
/// <param name="Settings">Decoding settings.</param>
/// <param name="N">Choices per prompt.</param>
/// <param name="Echo">Whether the prompt is echoed (with its logprobs when asked).</param>
/// <param name="Stream">Whether the answer streams.</param>
/// <param name="IncludeUsage">Whether a streamed answer ends with a usage chunk.</param>
/// <param name="PromptLogprobMoments">
/// The reference model's extension <c>prompt_logprob_moments</c>: with <c>echo</c> and <c>logprobs</c>, also report the
/// mean and standard deviation of ln p over the whole vocabulary at each prompt position (exact Min-K%++).
/// </param>
internal sealed record CompletionRequest(IReadOnlyList<PromptInput> Prompts, SamplingSettings Settings, int N, bool Echo, bool Stream, bool IncludeUsage, bool PromptLogprobMoments)
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
        var echo = RequestFields.OptionalBool(root, "echo") ?? false;
        var topLogprobs = RequestFields.OptionalInt(root, "logprobs", 0, MaxLegacyLogprobs) ?? -1;
        var moments = RequestFields.OptionalBool(root, "prompt_logprob_moments") ?? false;
        if (moments && (!echo || topLogprobs < 0))
        {
            throw RequestFields.Invalid("prompt_logprob_moments", "prompt_logprob_moments needs echo: true and logprobs.");
        }

        return new CompletionRequest(
            prompts,
            settings with
            {
                MaxTokens = RequestFields.OptionalInt(root, "max_tokens", 0, options.MaxTokensLimit) ?? 16,
                TopLogprobs = topLogprobs,
            },
            n,
            echo,
            stream,
            includeUsage,
            moments);
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
