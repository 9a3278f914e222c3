using System.Text;
using System.Text.Json;
using GenSafety.ReferenceModel.Http;
using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Completions;

/// <summary>A validated <c>POST /v1/chat/completions</c> request.</summary>
internal sealed record ChatRequest(string Prompt, SamplingSettings Settings, int N, bool Stream, bool IncludeUsage)
{
    private const int MaxTopLogprobs = 20;
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    public static ChatRequest Parse(JsonElement root, ReferenceModelOptions options, Cl100kTokenizer tokenizer)
    {
        RequestFields.RequiredString(root, "model");
        var prompt = RenderMessages(root);
        var settings = SamplingParser.ParseCommon(root, tokenizer);
        var maxTokens = RequestFields.OptionalInt(root, "max_completion_tokens", 1, options.MaxTokensLimit)
            ?? RequestFields.OptionalInt(root, "max_tokens", 1, options.MaxTokensLimit)
            ?? options.DefaultChatMaxTokens;
        var logprobs = RequestFields.OptionalBool(root, "logprobs") ?? false;
        var topLogprobs = RequestFields.OptionalInt(root, "top_logprobs", 0, MaxTopLogprobs);
        if (topLogprobs is not null && !logprobs)
        {
            throw RequestFields.Invalid("top_logprobs", "'logprobs' must be set to true when 'top_logprobs' is used.");
        }

        var (stream, includeUsage) = SamplingParser.ParseStreaming(root);
        return new ChatRequest(
            prompt,
            settings with { MaxTokens = maxTokens, TopLogprobs = logprobs ? topLogprobs ?? 0 : -1 },
            SamplingParser.ParseN(root, options.MaxChoices),
            stream,
            includeUsage);
    }

    /// <summary>
    /// The model is a plain text continuation model: message contents are joined with blank lines and the
    /// completion continues the last one (so a member's prefix in the last message is continued verbatim).
    /// </summary>
    private static string RenderMessages(JsonElement root)
    {
        if (!RequestFields.TryGet(root, "messages", out var messages))
        {
            throw RequestFields.Missing("messages");
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw RequestFields.WrongType("messages", "an array", messages);
        }

        if (messages.GetArrayLength() == 0)
        {
            throw RequestFields.Invalid("messages", "empty array. Expected an array with minimum length 1, but got an empty array instead.", "empty_array");
        }

        var prompt = new StringBuilder();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var param = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw RequestFields.WrongType(param, "an object", message);
            }

            var role = RequestFields.OptionalString(message, "role") ?? throw RequestFields.Missing($"{param}.role");
            if (!Roles.Contains(role))
            {
                throw RequestFields.Invalid($"{param}.role", $"'{role}' is not one of {string.Join(", ", Roles)}.");
            }

            var content = RenderContent(message, param);
            if (content.Length > 0)
            {
                prompt.Append(prompt.Length > 0 ? "\n\n" : string.Empty).Append(content);
            }
        }

        return prompt.ToString();
    }

    private static string RenderContent(JsonElement message, string param)
    {
        if (!RequestFields.TryGet(message, "content", out var content))
        {
            return string.Empty;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw RequestFields.WrongType($"{param}.content", "a string or an array of content parts", content);
        }

        var text = new StringBuilder();
        var partIndex = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partParam = $"{param}.content[{partIndex++}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                throw RequestFields.WrongType(partParam, "an object", part);
            }

            var type = RequestFields.OptionalString(part, "type") ?? throw RequestFields.Missing($"{partParam}.type");
            if (type is not ("text" or "input_text"))
            {
                throw RequestFields.Invalid($"{partParam}.type", $"content parts of type '{type}' are not supported by this text-only model.", "unsupported_content_type");
            }

            text.Append(RequestFields.RequiredString(part, "text"));
        }

        return text.ToString();
    }
}
