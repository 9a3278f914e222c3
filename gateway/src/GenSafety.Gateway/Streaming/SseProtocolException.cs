namespace GenSafety.Gateway.Streaming;

/// <summary>The upstream sent something that cannot be read as a server-sent event stream within the limits.</summary>
public sealed class SseProtocolException : Exception
{
    /// <summary>Creates an exception with <see cref="SseProtocolError.Malformed"/>.</summary>
    public SseProtocolException()
        : this(SseProtocolError.Malformed, "The event stream is malformed.")
    {
    }

    /// <summary>Creates an exception with <see cref="SseProtocolError.Malformed"/>.</summary>
    public SseProtocolException(string message)
        : this(SseProtocolError.Malformed, message)
    {
    }

    /// <summary>Creates an exception with <see cref="SseProtocolError.Malformed"/>.</summary>
    public SseProtocolException(string message, Exception innerException)
        : this(SseProtocolError.Malformed, message, innerException)
    {
    }

    /// <summary>Creates an exception for <paramref name="error"/>.</summary>
    public SseProtocolException(SseProtocolError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>What was wrong with the stream.</summary>
    public SseProtocolError Error { get; }
}

/// <summary>The kinds of <see cref="SseProtocolException"/>.</summary>
public enum SseProtocolError
{
    /// <summary>The stream is malformed in some other way.</summary>
    Malformed,

    /// <summary>An event (or comment line) is larger than <see cref="SseReaderOptions.MaxEventBytes"/>.</summary>
    EventTooLarge,

    /// <summary>A line that must be decoded is not valid UTF-8.</summary>
    InvalidUtf8,
}
