namespace GenSafety.Detectors.DatasetInference;

/// <summary>
/// Cuts documents into chunks of <see cref="MinWords"/>–<see cref="MaxWords"/> words (the MIMIR setting), each scored
/// as a text of its own. A document of at most <see cref="MaxWords"/> words is one chunk (however short); a longer one
/// is cut into ⌈n / 200⌉ chunks of nearly equal length, which are never shorter than 100 words.
/// </summary>
public static class DocumentChunker
{
    /// <summary>Fewest words of a chunk cut from a longer document.</summary>
    public const int MinWords = 100;

    /// <summary>Most words of a chunk.</summary>
    public const int MaxWords = 200;

    /// <summary>The chunks of <paramref name="document"/> (whitespace-separated words joined by single spaces).</summary>
    public static IReadOnlyList<string> Chunk(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var words = document.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return [];
        }

        var count = (words.Length + MaxWords - 1) / MaxWords;
        var chunks = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            int start = i * words.Length / count, end = (i + 1) * words.Length / count;
            chunks.Add(string.Join(' ', words, start, end - start));
        }

        return chunks;
    }
}
