using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Step 6 of the request path ("observe"), placed before admission so that it sees the client's request as sent
/// (before any shaping): it leaves a <see cref="QueryObservation"/> for the response handlers to fill and, once the
/// response is complete and successful, queues it. The request pays for one small object and a non-blocking queue
/// write; everything else happens in <see cref="DetectionPipeline"/>.
/// </summary>
internal sealed class DetectionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly DetectionQueue _queue;
    private readonly TimeProvider _time;
    private readonly bool _enabled;

    public DetectionMiddleware(RequestDelegate next, DetectionQueue queue, EnabledDetectors detectors, TimeProvider time)
    {
        _next = next;
        _queue = queue;
        _time = time;
        _enabled = detectors.Active.Count > 0;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (!_enabled
            || context.Features.Get<ClientIdentity>() is not { } identity
            || context.Features.Get<ProxyRequest>() is not { Json: not null } request
            || request.RouteKind is not (RouteKinds.ChatCompletions or RouteKinds.Completions or RouteKinds.Embeddings or RouteKinds.ImagesGenerations))
        {
            await _next(context);
            return;
        }

        var observation = new QueryObservation(identity.Tenant, identity.ClientId, request.RouteKind, request.Body, _time.GetUtcNow())
        {
            SourceNetwork = SourceNetworks.Of(context.Connection.RemoteIpAddress),
        };
        context.Features.Set(observation);
        await _next(context);
        if (context.Response.StatusCode is >= 200 and < 300)
        {
            observation.Usage = context.Features.Get<TokenUsage>();
            _queue.TryEnqueue(observation);
        }
    }
}
