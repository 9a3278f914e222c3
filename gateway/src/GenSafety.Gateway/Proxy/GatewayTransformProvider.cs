using System.Net;
using System.Net.Http.Headers;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Requests;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace GenSafety.Gateway.Proxy;

/// <summary>
/// Adds the gateway's request and response transforms to every YARP route: the client's credentials are replaced by
/// the upstream's, and the response body is taken over so JSON and SSE transforms can see it.
/// </summary>
internal sealed partial class GatewayTransformProvider : ITransformProvider
{
    /// <summary>Request header carrying the request id, both ways.</summary>
    public const string RequestIdHeader = "x-request-id";

    private readonly JsonResponseHandler _json;
    private readonly StreamResponseHandler _stream;
    private readonly AuthenticationHeaderValue? _upstreamAuthorization;
    private readonly ILogger<GatewayTransformProvider> _logger;

    public GatewayTransformProvider(JsonResponseHandler json, StreamResponseHandler stream, IOptions<ProxyOptions> options, ILogger<GatewayTransformProvider> logger)
    {
        _json = json;
        _stream = stream;
        _logger = logger;
        var key = options.Value.ResolveUpstreamApiKey();
        _upstreamAuthorization = string.IsNullOrEmpty(key) ? null : new AuthenticationHeaderValue("Bearer", key);
    }

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        var routeKind = context.Route is null ? RouteKinds.Other : RouteKindMetadata.Of(context.Route);
        context.AddRequestTransform(TransformRequest);
        context.AddResponseTransform(transformContext => TransformResponseAsync(transformContext, routeKind));
    }

    private ValueTask TransformRequest(RequestTransformContext context)
    {
        var headers = context.ProxyRequest.Headers;
        // The client's key never leaves the gateway; the upstream gets its own credentials, if any.
        headers.Authorization = _upstreamAuthorization;
        headers.Remove(RequestIdHeader);
        headers.TryAddWithoutValidation(RequestIdHeader, context.HttpContext.TraceIdentifier);
        context.ProxyRequest.Options.Set(UpstreamTiming.RequestOptionKey, UpstreamTiming.Of(context.HttpContext));
        return ValueTask.CompletedTask;
    }

    private async ValueTask TransformResponseAsync(ResponseTransformContext context, string routeKind)
    {
        var upstream = context.ProxyResponse;
        if (upstream is null || upstream.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotModified)
        {
            // No body to interpret.
            return;
        }

        var mediaType = upstream.Content.Headers.ContentType?.MediaType;
        var isEventStream = string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        var isJson = mediaType is not null && mediaType.Contains("json", StringComparison.OrdinalIgnoreCase);
        if (!isEventStream && !isJson && upstream.IsSuccessStatusCode)
        {
            // Binary or text bodies we do not interpret pass through untouched (YARP copies them).
            return;
        }

        context.SuppressResponseBody = true;
        var httpContext = context.HttpContext;
        try
        {
            if (isEventStream && upstream.IsSuccessStatusCode)
            {
                await _stream.HandleAsync(httpContext, upstream, routeKind);
            }
            else
            {
                var request = httpContext.Features.Get<ProxyRequest>() ?? new ProxyRequest(routeKind, ReadOnlyMemory<byte>.Empty, null);
                await _json.HandleAsync(httpContext, upstream, request);
            }
        }
        catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            // Client gone: nothing to write. Disposing the upstream response aborts the upstream request.
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            LogUpstreamBodyFailed(_logger, routeKind, ex.GetType().Name);
            await OpenAIError.WriteAsync(httpContext, StatusCodes.Status502BadGateway, ErrorCodes.UpstreamUnavailable,
                "The upstream connection failed while its response was being read.");
        }
        finally
        {
            upstream.Dispose();
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Reading the upstream {RouteKind} response failed ({ExceptionType})")]
    private static partial void LogUpstreamBodyFailed(ILogger logger, string routeKind, string exceptionType);
}
