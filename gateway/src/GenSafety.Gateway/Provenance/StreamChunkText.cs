using System.Buffers;
using System.Text;
using System.Text.Json;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Reads the text deltas of a streamed chat completion or completion chunk without building a JSON tree, and
/// rewrites a changed delta by splicing its new string into the original bytes: everything else in the chunk stays
/// byte for byte as the upstream sent it, and a chunk whose text did not change is never re-serialised.
/// </summary>
internal static class StreamChunkText
{
    /// <summary>
    /// Reads <paramref name="utf8"/> into <paramref name="deltas"/> (one entry per choice object, in order). False when
    /// the chunk is not a JSON object with a <c>choices</c> array.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> utf8, bool chat, List<ChoiceDelta> deltas)
    {
        deltas.Clear();
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isChoices = reader.ValueTextEquals("choices"u8);
                reader.Read();
                if (isChoices && reader.TokenType == JsonTokenType.StartArray)
                {
                    found = true;
                    ReadChoices(ref reader, chat, deltas);
                }
                else
                {
                    reader.Skip();
                }
            }

            return found;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The chunk with each (start, length) string token replaced by the JSON string of its new text.</summary>
    public static string Splice(ReadOnlySpan<byte> utf8, IReadOnlyList<(int Start, int Length, string Text)> replacements)
    {
        var buffer = new ArrayBufferWriter<byte>(utf8.Length + 64);
        var at = 0;
        foreach (var (start, length, text) in replacements)
        {
            buffer.Write(utf8[at..start]);
            buffer.Write("\""u8);
            buffer.Write(JsonEncodedText.Encode(text).EncodedUtf8Bytes);
            buffer.Write("\""u8);
            at = start + length;
        }

        buffer.Write(utf8[at..]);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void ReadChoices(ref Utf8JsonReader reader, bool chat, List<ChoiceDelta> deltas)
    {
        var position = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                position++;
                continue;
            }

            var delta = new ChoiceDelta { Position = position++ };
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("index"u8) ? 1 : reader.ValueTextEquals("finish_reason"u8) ? 2
                    : chat && reader.ValueTextEquals("delta"u8) ? 3 : !chat && reader.ValueTextEquals("text"u8) ? 4 : 0;
                reader.Read();
                switch (name)
                {
                    case 1 when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index):
                        delta.Index = index;
                        break;
                    case 2:
                        delta.Finished = reader.TokenType == JsonTokenType.String;
                        break;
                    case 3 when reader.TokenType == JsonTokenType.StartObject:
                        ReadDelta(ref reader, delta);
                        break;
                    case 4:
                        ReadText(ref reader, delta);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            deltas.Add(delta);
        }
    }

    private static void ReadDelta(ref Utf8JsonReader reader, ChoiceDelta delta)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isContent = reader.ValueTextEquals("content"u8);
            reader.Read();
            if (isContent)
            {
                ReadText(ref reader, delta);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void ReadText(ref Utf8JsonReader reader, ChoiceDelta delta)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return;
        }

        delta.Text = reader.GetString();
        delta.Start = (int)reader.TokenStartIndex;
        // The token spans the quotes and the escaped value.
        delta.Length = (reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length) + 2;
    }

    /// <summary>What one choice object of a chunk carries.</summary>
    internal sealed class ChoiceDelta
    {
        /// <summary>Position in the <c>choices</c> array.</summary>
        public int Position { get; set; }

        /// <summary>The choice's <c>index</c> (0 when absent).</summary>
        public int Index { get; set; }

        /// <summary>Whether <c>finish_reason</c> is a string.</summary>
        public bool Finished { get; set; }

        /// <summary>The text delta, when it is a string.</summary>
        public string? Text { get; set; }

        /// <summary>Byte offset of the text's string token (quotes included).</summary>
        public int Start { get; set; }

        /// <summary>Byte length of the text's string token (quotes included).</summary>
        public int Length { get; set; }
    }
}
