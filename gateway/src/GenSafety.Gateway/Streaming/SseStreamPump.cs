namespace GenSafety.Gateway.Streaming;

/// <summary>
/// Forwards a streamed (<c>text/event-stream</c>) OpenAI response from the upstream to the client event by event,
/// through a chain of <see cref="IStreamTransformSession"/>s. Meant to be called from a YARP response transform
/// that set <c>SuppressResponseBody</c>, after the response headers are set.
/// </summary>
/// <remarks>
/// <para>
/// Data events (not comments, not <c>[DONE]</c>) go to session 0; what session <c>i</c> writes to its
/// <see cref="IStreamOutput"/> goes to session <c>i + 1</c>, and what the last one writes is written to the client and
/// flushed. Comments (keep-alives) go straight to the client. One event is read, transformed and flushed before the
/// next is read: nothing is buffered beyond what a session holds back, and a slow client slows the upstream reads.
/// </para>
/// <para>
/// Upstream <c>[DONE]</c>: each session's <see cref="IStreamTransformSession.OnCompletedAsync"/> runs in order (so
/// what one releases passes through the later ones), then <c>data: [DONE]</c>. <see cref="IStreamOutput.End"/>:
/// reading stops, later writes (and anything still held back) are dropped, and the client gets a final chunk with
/// <c>finish_reason: "content_filter"</c> and a <c>gensafety</c> object, then <c>data: [DONE]</c>. Upstream faults
/// (see <see cref="SseStreamErrorCodes"/>) and session exceptions end the stream with an error event and
/// <c>data: [DONE]</c>; held-back events are dropped. None of these throw to the caller. On client disconnect the
/// pump stops without writing. Sessions are disposed in every case; the streams are not.
/// </para>
/// </remarks>
public static class SseStreamPump
{
    /// <summary>Pumps <paramref name="upstream"/> into <paramref name="downstream"/> until the stream ends.</summary>
    /// <param name="upstream">The upstream response body.</param>
    /// <param name="downstream">The client's response body.</param>
    /// <param name="sessions">The transform chain, in order; may be empty. Disposed when the pump returns.</param>
    /// <param name="options">Route kind, limits, clock and logger.</param>
    /// <param name="cancellationToken">Signals that the client went away (<c>HttpContext.RequestAborted</c>).</param>
    /// <returns>How the stream ended, with counts and timings. Throws only for invalid arguments.</returns>
    public static ValueTask<SsePumpResult> RunAsync(
        Stream upstream,
        Stream downstream,
        IReadOnlyList<IStreamTransformSession> sessions,
        SsePumpOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(downstream);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        return RunCoreAsync(upstream, downstream, sessions, options, cancellationToken);
    }

    private static async ValueTask<SsePumpResult> RunCoreAsync(
        Stream upstream,
        Stream downstream,
        IReadOnlyList<IStreamTransformSession> sessions,
        SsePumpOptions options,
        CancellationToken cancellationToken)
    {
        using var run = new SseStreamPumpRun(upstream, downstream, sessions, options);
        return await run.RunAsync(cancellationToken);
    }
}
