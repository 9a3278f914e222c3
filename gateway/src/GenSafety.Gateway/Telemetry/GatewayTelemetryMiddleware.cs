using System.Diagnostics;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Telemetry;

/// <summary>
/// Outermost middleware of the public listener: assigns the request id, adds <c>x-request-id</c> and
/// <c>x-gensafety-overhead-ms</c> to the response, and records <see cref="GatewayMetrics"/> when the request ends.
/// </summary>
internal sealed class GatewayTelemetryMiddleware
{
    /// <summary>Response header with the gateway's own time in milliseconds (total minus upstream, until headers were sent).</summary>
    public const string OverheadHeader = "x-gensafety-overhead-ms";

    private static readonly Func<object, Task> OnStarting = AddHeaders;

    private readonly RequestDelegate _next;
    private readonly GatewayMetrics _metrics;
    private readonly GenAiMetrics _genAi;

    public GatewayTelemetryMiddleware(RequestDelegate next, GatewayMetrics metrics, GenAiMetrics genAi)
    {
        _next = next;
        _metrics = metrics;
        _genAi = genAi;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var timing = UpstreamTiming.Of(context);
        var clientId = context.Request.Headers[GatewayTransformProvider.RequestIdHeader];
        if (clientId.Count > 0)
        {
            context.TraceIdentifier = RequestIds.Choose(clientId.ToString(), context.TraceIdentifier);
        }

        context.Response.OnStarting(OnStarting, context);
        try
        {
            await _next(context);
        }
        finally
        {
            var route = RouteKindMetadata.Of(context);
            var usage = context.Features.Get<TokenUsage>();
            _metrics.RequestFinished(route, context.Response.StatusCode, timing.Elapsed, timing.Upstream, timing.Overhead, timing.Forwarded);
            _genAi.RequestFinished(route, context.Response.StatusCode, timing, usage);
            if (Activity.Current is { IsAllDataRequested: true } span)
            {
                GenAiSpanAttributes.Add(span, context, route, usage, timing);
            }
        }
    }

    private static Task AddHeaders(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        headers[GatewayTransformProvider.RequestIdHeader] = context.TraceIdentifier;
        headers[OverheadHeader] = UpstreamTiming.Of(context).Overhead.TotalMilliseconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }
}
