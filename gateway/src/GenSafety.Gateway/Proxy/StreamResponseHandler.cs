using System.Diagnostics;
using GenSafety.Gateway.Streaming;
using GenSafety.Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Proxy;

/// <summary>
/// Forwards a streamed (SSE) upstream response event by event through the <see cref="IStreamTransform"/> sessions,
/// flushing after each event. Reads honour the client's disconnect (which aborts the upstream request) and
/// <see cref="ProxyOptions.StreamIdleTimeout"/>.
/// </summary>
internal sealed partial class StreamResponseHandler
{
    private readonly IStreamTransform[] _transforms;
    private readonly ProxyOptions _options;
    private readonly ILogger<StreamResponseHandler> _logger;
    private readonly SseReaderOptions _readerOptions;

    public StreamResponseHandler(IEnumerable<IStreamTransform> transforms, IOptions<ProxyOptions> options, ILogger<StreamResponseHandler> logger)
    {
        _transforms = transforms.ToArray();
        _options = options.Value;
        _logger = logger;
        _readerOptions = new SseReaderOptions { MaxEventBytes = _options.MaxStreamEventBytes };
    }

    public async Task HandleAsync(HttpContext context, HttpResponseMessage upstream, string routeKind)
    {
        using var span = GatewayTracing.Start(GatewayTracing.Stream);
        var sessions = BeginSessions(new StreamTransformContext(context, routeKind), span);
        context.Response.ContentLength = null;
        context.Response.Headers.ContentLength = null;
        // Proxies in front of us must not buffer the stream either.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Response.Headers.CacheControl = "no-cache";

        var timing = UpstreamTiming.Of(context);
        await using var body = new IdleTimeoutStream(await upstream.Content.ReadAsStreamAsync(context.RequestAborted), _options.StreamIdleTimeout, context.RequestAborted);
        var options = new SsePumpOptions
        {
            RouteKind = routeKind,
            ReaderOptions = _readerOptions,
            Logger = _logger,
        };
        var pumpStart = timing.Elapsed;
        var result = await SseStreamPump.RunAsync(body, context.Response.Body, sessions, options, context.RequestAborted);
        timing.AddUpstream(result.UpstreamWaitTime);
        if (result.TimeToFirstEvent is { } first)
        {
            timing.TimeToFirstToken = pumpStart + first;
        }

        span?.SetTag("gensafety.stream.outcome", result.Outcome.ToString());
        span?.SetTag("gensafety.stream.events_out", result.EventsOut);
        if (result.EndReason is { } ended)
        {
            span?.SetTag("gensafety.transform", ended.Transform);
            span?.SetTag("gensafety.stream.end_code", ended.Code);
        }

        if (result.ClientDisconnected)
        {
            LogClientDisconnected(_logger, routeKind);
        }
        else if (result.ErrorCode is { } code)
        {
            LogUpstreamStreamFailed(_logger, routeKind, code);
        }
        else if (result.EndReason is { } reason)
        {
            LogStreamEnded(_logger, routeKind, reason.Transform, reason.Code);
        }
    }

    private List<IStreamTransformSession> BeginSessions(StreamTransformContext context, Activity? span)
    {
        var sessions = new List<IStreamTransformSession>(_transforms.Length);
        var names = span is null ? null : new List<string>(_transforms.Length);
        foreach (var transform in _transforms)
        {
            if (transform.Begin(context) is { } session)
            {
                sessions.Add(session);
                names?.Add(transform.Name);
            }
        }

        if (span is not null && names is not null)
        {
            span.SetTag("gensafety.transforms", string.Join(',', names));
        }

        return sessions;
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Debug, Message = "Client disconnected during a {RouteKind} stream; upstream request aborted")]
    private static partial void LogClientDisconnected(ILogger logger, string routeKind);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Upstream {RouteKind} stream failed ({Code}); client stream ended with an error event")]
    private static partial void LogUpstreamStreamFailed(ILogger logger, string routeKind, string code);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "{RouteKind} stream ended by transform {Transform} ({Code})")]
    private static partial void LogStreamEnded(ILogger logger, string routeKind, string transform, string code);
}
