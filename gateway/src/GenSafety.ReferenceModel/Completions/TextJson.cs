using System.Text.Json;
using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Completions;

/// <summary>JSON fragments shared by the chat and legacy completion responses.</summary>
internal static class TextJson
{
    public static void WriteUsage(Utf8JsonWriter writer, int promptTokens, int completionTokens)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", promptTokens);
        writer.WriteNumber("completion_tokens", completionTokens);
        writer.WriteNumber("total_tokens", promptTokens + completionTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", 0);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", 0);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteNumber("accepted_prediction_tokens", 0);
        writer.WriteNumber("rejected_prediction_tokens", 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Fields every response object starts with.</summary>
    public static void WriteHeader(Utf8JsonWriter writer, string id, string objectType, long created, string model, string fingerprint)
    {
        writer.WriteString("id", id);
        writer.WriteString("object", objectType);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
        writer.WriteString("system_fingerprint", fingerprint);
    }

    /// <summary>One entry of chat <c>logprobs.content</c>: token, logprob, bytes, top_logprobs.</summary>
    public static void WriteChatLogprob(Utf8JsonWriter writer, Cl100kTokenizer tokenizer, GenerationStep step)
    {
        writer.WriteStartObject();
        WriteTokenFields(writer, tokenizer, step.Token, step.Logprob);
        writer.WriteStartArray("top_logprobs");
        foreach (var (token, logprob) in step.Top)
        {
            writer.WriteStartObject();
            WriteTokenFields(writer, tokenizer, token, logprob);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Chat <c>logprobs</c> object: <c>{"content":[...],"refusal":null}</c>, or null when not requested.</summary>
    public static void WriteChatLogprobs(Utf8JsonWriter writer, Cl100kTokenizer tokenizer, IEnumerable<GenerationStep>? steps)
    {
        if (steps is null)
        {
            writer.WriteNull("logprobs");
            return;
        }

        writer.WriteStartObject("logprobs");
        writer.WriteStartArray("content");
        foreach (var step in steps)
        {
            WriteChatLogprob(writer, tokenizer, step);
        }

        writer.WriteEndArray();
        writer.WriteNull("refusal");
        writer.WriteEndObject();
    }

    /// <summary>
    /// Legacy completions <c>logprobs</c>: parallel arrays tokens / token_logprobs / top_logprobs / text_offset.
    /// A null step (the first echoed prompt token) has null logprob and null top_logprobs. With
    /// <paramref name="promptMoments"/> (the <c>prompt_logprob_moments</c> extension), <c>token_logprob_moments</c>
    /// follows: <c>{"mean","std"}</c> for each prompt token that has them, null elsewhere (first token, generated tokens).
    /// </summary>
    public static void WriteLegacyLogprobs(
        Utf8JsonWriter writer, Cl100kTokenizer tokenizer, IReadOnlyList<(int Token, GenerationStep? Step, int Offset)> entries, (double Mean, double StandardDeviation)?[]? promptMoments = null)
    {
        writer.WriteStartObject("logprobs");
        writer.WriteStartArray("tokens");
        foreach (var entry in entries)
        {
            writer.WriteStringValue(tokenizer.GetString(entry.Token));
        }

        writer.WriteEndArray();
        writer.WriteStartArray("token_logprobs");
        foreach (var entry in entries)
        {
            if (entry.Step is { } step)
            {
                writer.WriteNumberValue(step.Logprob);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("top_logprobs");
        foreach (var entry in entries)
        {
            WriteLegacyTop(writer, tokenizer, entry.Step);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("text_offset");
        foreach (var entry in entries)
        {
            writer.WriteNumberValue(entry.Offset);
        }

        writer.WriteEndArray();
        if (promptMoments is not null)
        {
            writer.WriteStartArray("token_logprob_moments");
            for (var i = 0; i < entries.Count; i++)
            {
                if (i < promptMoments.Length && promptMoments[i] is { } m)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("mean", m.Mean);
                    writer.WriteNumber("std", m.StandardDeviation);
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WriteNullValue();
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteLegacyTop(Utf8JsonWriter writer, Cl100kTokenizer tokenizer, GenerationStep? step)
    {
        if (step is not { } s)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (token, logprob) in s.Top)
        {
            // Distinct tokens can decode to the same string (partial UTF-8); JSON keys must stay unique.
            if (seen.Add(tokenizer.GetString(token)))
            {
                writer.WriteNumber(tokenizer.GetString(token), logprob);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteTokenFields(Utf8JsonWriter writer, Cl100kTokenizer tokenizer, int token, double logprob)
    {
        writer.WriteString("token", tokenizer.GetString(token));
        writer.WriteNumber("logprob", logprob);
        writer.WriteStartArray("bytes");
        foreach (var b in tokenizer.GetBytes(token))
        {
            writer.WriteNumberValue(b);
        }

        writer.WriteEndArray();
    }
}
