namespace GenSafety.Gateway.Streaming;

/// <summary>
/// A named plug-in that watches and may change a streamed (SSE) response. Registered in DI as
/// <c>IStreamTransform</c>; one <see cref="IStreamTransformSession"/> is begun per response, so per-response
/// state never lives in the singleton.
/// </summary>
public interface IStreamTransform
{
    /// <summary>Name used in configuration and telemetry.</summary>
    string Name { get; }

    /// <summary>Starts a session for one response, or returns <see langword="null"/> when the transform does not apply.</summary>
    IStreamTransformSession? Begin(StreamTransformContext context);
}

/// <summary>
/// Per-response state of an <see cref="IStreamTransform"/>. Sessions are chained: what a session writes to its
/// <see cref="IStreamOutput"/> is what the next session (or finally the client) receives. A session forwards an
/// event by writing it, rewrites it by writing another, holds it back by not writing it yet, and ends the
/// stream through <see cref="IStreamOutput.End"/>.
/// </summary>
public interface IStreamTransformSession : IAsyncDisposable
{
    /// <summary>Handles one upstream event (never a comment and never <c>[DONE]</c>).</summary>
    ValueTask OnEventAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken);

    /// <summary>Called once when the upstream finished normally; flush anything held back.</summary>
    ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken);
}

/// <summary>Where a stream-transform session sends what it lets through.</summary>
public interface IStreamOutput
{
    /// <summary>Passes an event on (to the next session, or to the client with a flush).</summary>
    ValueTask WriteAsync(SseEvent sseEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Ends the stream: nothing more is read from the upstream, and the client receives a final chunk whose
    /// <c>finish_reason</c> is <c>"content_filter"</c> with a <c>gensafety</c> object built from <paramref name="reason"/>,
    /// then <c>data: [DONE]</c>. Events written before the call are delivered; later writes are dropped.
    /// </summary>
    void End(StreamEndReason reason);

    /// <summary>Whether <see cref="End"/> was called.</summary>
    bool IsEnded { get; }
}

/// <summary>Why a transform ended a stream; serialized into the final chunk's <c>gensafety</c> object.</summary>
/// <param name="Code">Machine-readable code, e.g. <c>output_blocked</c>.</param>
/// <param name="Message">Human-readable explanation.</param>
/// <param name="Transform">Name of the transform that ended the stream.</param>
public sealed record StreamEndReason(string Code, string Message, string Transform);

/// <summary>What a stream transform may know about the response it is about to see.</summary>
/// <param name="HttpContext">The client's request context.</param>
/// <param name="RouteKind">Which OpenAI route this is (chat completions or completions).</param>
public sealed record StreamTransformContext(Microsoft.AspNetCore.Http.HttpContext HttpContext, string RouteKind);
