namespace GenSafety.Gateway.Streaming;

/// <summary>Limits and tuning for <see cref="SseReader"/>.</summary>
public sealed class SseReaderOptions
{
    /// <summary>The defaults: 1 MiB events, 4 KiB initial buffer.</summary>
    public static SseReaderOptions Default { get; } = new();

    /// <summary>
    /// Largest event accepted, counted as the raw bytes of its lines (field names, values and line endings, not
    /// the blank line that dispatches it); a single comment line has the same limit. A larger event makes
    /// <see cref="SseReader.ReadAsync"/> throw <see cref="SseProtocolException"/> before more than about this
    /// many bytes are buffered. Default 1 MiB.
    /// </summary>
    public int MaxEventBytes { get; init; } = 1024 * 1024;

    /// <summary>Size of the first read buffer, rented from the array pool and grown as long lines need. Default 4 KiB.</summary>
    public int InitialBufferSize { get; init; } = 4096;
}
