using System.Diagnostics;
using System.Text.Json;

namespace GenSafety.LoadTests.Scenarios;

/// <summary>
/// Reads an OpenAI-style SSE body to the end, line by line on raw bytes, noting when the first
/// <c>data:</c> event with a non-empty <c>choices[].delta.content</c> arrived and whether
/// <c>data: [DONE]</c> came.
/// </summary>
internal static class SseStreamReader
{
    private const int MaxLineBytes = 1024 * 1024;

    internal readonly record struct Result(long FirstTokenTimestamp, bool SawDone);

    public static async Task<Result> ReadToEndAsync(Stream body, ReadBuffer buffer, CancellationToken cancellationToken)
    {
        var state = new Result(0, false);
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Bytes.Length)
            {
                if (buffer.Bytes.Length >= MaxLineBytes)
                {
                    throw new InvalidDataException("SSE line longer than 1 MiB");
                }

                var bigger = buffer.Bytes;
                Array.Resize(ref bigger, bigger.Length * 2);
                buffer.Bytes = bigger;
            }

            var read = await body.ReadAsync(buffer.Bytes.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                // A last line without its newline still counts.
                return filled > 0 ? Apply(state, buffer.Bytes.AsSpan(0, filled)) : state;
            }

            filled = ScanLines(buffer.Bytes, filled, filled + read, ref state);
        }
    }

    /// <summary>Handles every complete line in <c>bytes[..end]</c>, moves the partial rest to the front; returns its length.</summary>
    private static int ScanLines(byte[] bytes, int scanFrom, int end, ref Result state)
    {
        var lineStart = 0;
        int newline;
        while ((newline = bytes.AsSpan(scanFrom, end - scanFrom).IndexOf((byte)'\n')) >= 0)
        {
            var lineEnd = scanFrom + newline;
            state = Apply(state, bytes.AsSpan(lineStart, lineEnd - lineStart));
            lineStart = scanFrom = lineEnd + 1;
        }

        var rest = end - lineStart;
        if (lineStart > 0 && rest > 0)
        {
            Buffer.BlockCopy(bytes, lineStart, bytes, 0, rest);
        }

        return rest;
    }

    private static Result Apply(Result state, ReadOnlySpan<byte> line)
    {
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        if (!line.StartsWith("data:"u8))
        {
            return state;
        }

        var payload = line[5..].TrimStart((byte)' ');
        if (payload.SequenceEqual("[DONE]"u8))
        {
            return state with { SawDone = true };
        }

        return state.FirstTokenTimestamp == 0 && HasDeltaContent(payload)
            ? state with { FirstTokenTimestamp = Stopwatch.GetTimestamp() }
            : state;
    }

    /// <summary>True when the chunk has a <c>delta</c> object whose <c>content</c> is a non-empty string.</summary>
    internal static bool HasDeltaContent(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var deltaDepth = -1;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == deltaDepth)
                {
                    deltaDepth = -1;
                }
                else if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }
                else if (deltaDepth < 0 && reader.ValueTextEquals("delta"u8))
                {
                    if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        deltaDepth = reader.CurrentDepth;
                    }
                }
                else if (deltaDepth >= 0 && reader.CurrentDepth == deltaDepth + 1 && reader.ValueTextEquals("content"u8)
                    && reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            // A malformed chunk carries no token; the stream is judged by the rest.
        }

        return false;
    }
}
