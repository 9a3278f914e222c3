namespace GenSafety.Gateway.Streaming;

/// <summary>Log messages of <see cref="SseStreamPump"/>; never contain event data.</summary>
internal static partial class SseStreamPumpLog
{
    // Streaming owns event ids 3000-3099 until they move to Telemetry/EventIds.cs.
    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "Stream completed: {EventsIn} events in, {EventsOut} out.")]
    public static partial void Completed(ILogger logger, long eventsIn, long eventsOut);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Stream ended by transform {Transform} with code {Code}.")]
    public static partial void EndedByTransform(ILogger logger, string transform, string code);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Upstream stream failed ({Code}); ended the client stream with an error event.")]
    public static partial void UpstreamFailed(ILogger logger, string code, Exception? exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "A stream transform failed; ended the client stream with gateway_error.")]
    public static partial void TransformFailed(ILogger logger, Exception? exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Client disconnected after {EventsOut} events.")]
    public static partial void ClientDisconnected(ILogger logger, long eventsOut);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Disposing stream transform session {Index} failed.")]
    public static partial void SessionDisposeFailed(ILogger logger, int index, Exception exception);
}
