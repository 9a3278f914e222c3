using System.Buffers;
using System.Text.Json;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Streaming;

/// <summary>Builds the JSON of the events that end a stream early: the content-filter chunk and the error event.</summary>
internal static class SseTerminalChunks
{
    /// <summary>
    /// Writes the OpenAI-shaped final chunk for <paramref name="routeKind"/> (<c>text_completion</c> for completions,
    /// <c>chat.completion.chunk</c> otherwise), one choice per index seen with <c>finish_reason: "content_filter"</c>,
    /// plus <c>"gensafety": {"code","message","transform"}</c>.
    /// </summary>
    public static void WriteContentFilterChunk(
        IBufferWriter<byte> output, string routeKind, ChunkMetadata metadata, StreamEndReason reason, long fallbackCreated)
    {
        bool completions = string.Equals(routeKind, RouteKinds.Completions, StringComparison.Ordinal);
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("id"u8, metadata.Id ?? string.Empty);
        json.WriteString("object"u8, completions ? "text_completion"u8 : "chat.completion.chunk"u8);
        json.WriteNumber("created"u8, metadata.Created ?? fallbackCreated);
        json.WriteString("model"u8, metadata.Model ?? string.Empty);
        json.WriteStartArray("choices"u8);
        IReadOnlyList<int> indexes = metadata.ChoiceIndexes;
        int count = Math.Max(indexes.Count, 1);
        for (int i = 0; i < count; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("index"u8, indexes.Count == 0 ? 0 : indexes[i]);
            if (completions)
            {
                json.WriteString("text"u8, ""u8);
                json.WriteString("finish_reason"u8, "content_filter"u8);
                json.WriteNull("logprobs"u8);
            }
            else
            {
                json.WriteStartObject("delta"u8);
                json.WriteEndObject();
                json.WriteString("finish_reason"u8, "content_filter"u8);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("gensafety"u8);
        json.WriteString("code"u8, reason.Code);
        json.WriteString("message"u8, reason.Message);
        json.WriteString("transform"u8, reason.Transform);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Writes <c>{"error":{"message","type","code","param":null}}</c>, the OpenAI error shape.</summary>
    public static void WriteError(IBufferWriter<byte> output, string message, string type, string code)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartObject("error"u8);
        json.WriteString("message"u8, message);
        json.WriteString("type"u8, type);
        json.WriteString("code"u8, code);
        json.WriteNull("param"u8);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
