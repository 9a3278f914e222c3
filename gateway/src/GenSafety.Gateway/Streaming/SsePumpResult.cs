namespace GenSafety.Gateway.Streaming;

/// <summary>What happened while <see cref="SseStreamPump"/> forwarded one streamed response.</summary>
public sealed class SsePumpResult
{
    /// <summary>How the stream ended.</summary>
    public required SsePumpOutcome Outcome { get; init; }

    /// <summary>Data events read from the upstream (comments and <c>[DONE]</c> not counted).</summary>
    public long EventsIn { get; init; }

    /// <summary>
    /// Data events written to the client by the transform chain (comments, the gateway's own final or error
    /// chunk and <c>[DONE]</c> not counted).
    /// </summary>
    public long EventsOut { get; init; }

    /// <summary>Comments (keep-alives) forwarded to the client.</summary>
    public long CommentsOut { get; init; }

    /// <summary>Whether the upstream sent <c>data: [DONE]</c>.</summary>
    public bool UpstreamCompleted { get; init; }

    /// <summary>Why a transform ended the stream, when one did.</summary>
    public StreamEndReason? EndReason { get; init; }

    /// <summary>The <see cref="SseStreamErrorCodes"/> code of the error event written, if any.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The exception behind <see cref="ErrorCode"/> or the disconnect, if there was one.</summary>
    public Exception? Error { get; init; }

    /// <summary>Whether the client went away (cancellation or a failed write); nothing more was written.</summary>
    public bool ClientDisconnected => Outcome == SsePumpOutcome.ClientDisconnected;

    /// <summary>Time spent waiting on upstream reads; the gateway's own overhead is <see cref="Duration"/> minus this.</summary>
    public TimeSpan UpstreamWaitTime { get; init; }

    /// <summary>Time from the start of the pump to the first data event written to the client, if one was.</summary>
    public TimeSpan? TimeToFirstEvent { get; init; }

    /// <summary>Total time spent in the pump.</summary>
    public TimeSpan Duration { get; init; }
}

/// <summary>How a pumped stream ended; a bounded value for metric tags.</summary>
public enum SsePumpOutcome
{
    /// <summary>The upstream sent <c>[DONE]</c>; everything was delivered and <c>[DONE]</c> written.</summary>
    Completed,

    /// <summary>A transform called <see cref="IStreamOutput.End"/>; the content-filter chunk and <c>[DONE]</c> were written.</summary>
    EndedByTransform,

    /// <summary>The upstream failed or misbehaved; an error event and <c>[DONE]</c> were written.</summary>
    UpstreamError,

    /// <summary>A transform session threw; a <c>gateway_error</c> event and <c>[DONE]</c> were written.</summary>
    TransformError,

    /// <summary>The client disconnected; the pump stopped without writing more.</summary>
    ClientDisconnected,
}
