using GenSafety.Gateway.Errors;

namespace GenSafety.Gateway.Streaming;

/// <summary>
/// The <c>error.code</c> values <see cref="SseStreamPump"/> writes in a mid-stream error event
/// (<c>data: {"error":{"message","type","code","param"}}</c>, then <c>data: [DONE]</c>), also reported in
/// <see cref="SsePumpResult.ErrorCode"/>. Upstream codes come with <c>type</c> <see cref="UpstreamErrorType"/>,
/// <see cref="GatewayError"/> with <see cref="GatewayErrorType"/>.
/// </summary>
public static class SseStreamErrorCodes
{
    /// <summary><c>error.type</c> of the upstream codes.</summary>
    public const string UpstreamErrorType = "upstream_error";

    /// <summary><c>error.type</c> of <see cref="GatewayError"/>.</summary>
    public const string GatewayErrorType = "server_error";

    /// <summary>An upstream event was not valid UTF-8, or its data (other than <c>[DONE]</c>) was not one JSON object.</summary>
    public const string UpstreamInvalidResponse = ErrorCodes.UpstreamInvalidResponse;

    /// <summary>An upstream event was larger than <see cref="SseReaderOptions.MaxEventBytes"/>.</summary>
    public const string UpstreamEventTooLarge = "upstream_event_too_large";

    /// <summary>The upstream stream ended without <c>data: [DONE]</c> (possibly in the middle of an event).</summary>
    public const string UpstreamTruncated = "upstream_truncated";

    /// <summary>Reading the upstream failed (connection reset, HTTP/2 stream error and the like).</summary>
    public const string UpstreamReadFailed = "upstream_read_failed";

    /// <summary>A read of the upstream was canceled without the client going away (an upstream activity timeout).</summary>
    public const string UpstreamTimeout = ErrorCodes.UpstreamTimeout;

    /// <summary>A stream-transform session (or the gateway itself) failed while the stream was being forwarded.</summary>
    public const string GatewayError = ErrorCodes.GatewayError;
}
