namespace GenSafety.Gateway.Streaming;

/// <summary>How a pump run ends: the outcome, the error event's message and the log line.</summary>
internal sealed partial class SseStreamPumpRun
{
    private string ErrorMessage(string code, Exception? error) => code switch
    {
        // Our own protocol messages are safe to show; transport exception messages stay in the log.
        SseStreamErrorCodes.UpstreamInvalidResponse when error is SseProtocolException => error.Message,
        SseStreamErrorCodes.UpstreamInvalidResponse => "The upstream sent an event whose data is not a JSON object.",
        SseStreamErrorCodes.UpstreamEventTooLarge => error?.Message ?? "The upstream sent an event that is too large.",
        SseStreamErrorCodes.UpstreamTruncated when _reader.EndedMidEvent => "The upstream stream ended in the middle of an event.",
        SseStreamErrorCodes.UpstreamTruncated => "The upstream stream ended without [DONE].",
        SseStreamErrorCodes.UpstreamTimeout => "Reading the upstream stream timed out.",
        SseStreamErrorCodes.UpstreamReadFailed => "Reading the upstream stream failed.",
        _ => "The gateway failed while processing the stream.",
    };

    private void Log(Ending ending)
    {
        switch (ending.Outcome)
        {
            case SsePumpOutcome.EndedByTransform:
                SseStreamPumpLog.EndedByTransform(_logger, _endReason!.Transform, _endReason.Code);
                break;
            case SsePumpOutcome.UpstreamError:
                SseStreamPumpLog.UpstreamFailed(_logger, ending.Code!, ending.Error);
                break;
            case SsePumpOutcome.TransformError:
                SseStreamPumpLog.TransformFailed(_logger, ending.Error);
                break;
            case SsePumpOutcome.ClientDisconnected:
                SseStreamPumpLog.ClientDisconnected(_logger, _eventsOut);
                break;
            default:
                SseStreamPumpLog.Completed(_logger, _eventsIn, _eventsOut);
                break;
        }
    }

    private readonly record struct Ending(SsePumpOutcome Outcome, string? Code, Exception? Error)
    {
        public static Ending ReadFailed(Exception ex) => new(
            SsePumpOutcome.UpstreamError,
            ex switch
            {
                SseProtocolException { Error: SseProtocolError.EventTooLarge } => SseStreamErrorCodes.UpstreamEventTooLarge,
                SseProtocolException => SseStreamErrorCodes.UpstreamInvalidResponse,
                OperationCanceledException => SseStreamErrorCodes.UpstreamTimeout,
                _ => SseStreamErrorCodes.UpstreamReadFailed,
            },
            ex);
    }
}
