using GenSafety.Gateway.Errors;
using Yarp.ReverseProxy.Forwarder;

namespace GenSafety.Gateway.Proxy;

/// <summary>
/// Turns YARP's forwarding failures (which leave a bare status code) into OpenAI-shaped errors:
/// unreachable upstream → 502/503 <c>upstream_unavailable</c>, timeout → 504 <c>upstream_timeout</c>.
/// </summary>
internal sealed partial class ForwarderErrorMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<ForwarderErrorMiddleware> _logger;

    public ForwarderErrorMiddleware(RequestDelegate next, ILogger<ForwarderErrorMiddleware> logger)
    {
        _next = next;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        await _next(context);
        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted)
        {
            return;
        }

        LogForwarderError(_logger, error.Error);
        var (status, code, message) = error.Error switch
        {
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, ErrorCodes.UpstreamTimeout,
                "The upstream model did not answer in time."),
            ForwarderError.NoAvailableDestinations => (StatusCodes.Status503ServiceUnavailable, ErrorCodes.UpstreamUnavailable,
                "No healthy upstream is available."),
            ForwarderError.RequestCanceled => (0, string.Empty, string.Empty),
            ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled => (StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest,
                "The request body could not be read from the client."),
            ForwarderError.RequestCreation => (StatusCodes.Status500InternalServerError, ErrorCodes.GatewayError,
                "The gateway could not prepare the upstream request."),
            _ => (StatusCodes.Status502BadGateway, ErrorCodes.UpstreamUnavailable,
                "The upstream model could not be reached."),
        };

        if (status != 0)
        {
            await OpenAIError.WriteAsync(context, status, code, message);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Forwarding failed: {Error}")]
    private static partial void LogForwarderError(ILogger logger, ForwarderError error);
}
