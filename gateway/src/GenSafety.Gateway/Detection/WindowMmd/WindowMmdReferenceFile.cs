using System.Text.Json;

namespace GenSafety.Gateway.Detection.WindowMmd;

/// <summary>
/// Reads a tenant's reference file: UTF-8 JSONL, one <c>{"stream":"…","text":"…"}</c> object a line (blank lines
/// skipped; <c>stream</c> optional, default the empty stream). Returns the prompts grouped by stream, in file order.
/// </summary>
internal static class WindowMmdReferenceFile
{
    /// <summary>Most prompts read from one file.</summary>
    public const int MaxPrompts = 200_000;

    /// <exception cref="InvalidDataException">A line is not such an object, or the file holds too many prompts.</exception>
    public static async Task<IReadOnlyList<IReadOnlyList<string>>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var streams = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<List<string>>();
        var number = 0;
        var count = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var (stream, text) = Parse(line, path, number);
            if (++count > MaxPrompts)
            {
                throw new InvalidDataException($"Window-MMD reference '{path}' holds more than {MaxPrompts} prompts.");
            }

            if (!streams.TryGetValue(stream, out var prompts))
            {
                streams[stream] = prompts = [];
                order.Add(prompts);
            }

            prompts.Add(text);
        }

        return order;
    }

    private static (string Stream, string Text) Parse(string line, string path, int number)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String && text.GetString() is { Length: > 0 } value)
            {
                var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : string.Empty;
                return (stream, value);
            }
        }
        catch (JsonException)
        {
            // Reported below with the line number.
        }

        throw new InvalidDataException($"Window-MMD reference '{path}', line {number}: expected {{\"stream\":\"…\",\"text\":\"…\"}} with a non-empty text.");
    }
}
