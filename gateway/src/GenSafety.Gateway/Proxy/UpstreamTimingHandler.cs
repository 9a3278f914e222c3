using System.Diagnostics;
using GenSafety.Gateway.Telemetry;
using Yarp.ReverseProxy.Forwarder;

namespace GenSafety.Gateway.Proxy;

/// <summary>Measures how long the upstream takes to answer with headers and adds it to the request's <see cref="UpstreamTiming"/>.</summary>
internal sealed class UpstreamTimingHandler : DelegatingHandler
{
    public UpstreamTimingHandler(HttpMessageHandler inner) : base(inner)
    {
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var span = GatewayTracing.Start(GatewayTracing.Upstream);
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            span?.SetTag("http.response.status_code", (int)response.StatusCode);
            return response;
        }
        catch (Exception ex) when (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            if (request.Options.TryGetValue(UpstreamTiming.RequestOptionKey, out var timing))
            {
                timing.AddUpstream(start, Stopwatch.GetTimestamp());
            }
        }
    }
}

/// <summary>YARP's client factory with <see cref="UpstreamTimingHandler"/> around the socket handler.</summary>
internal sealed class TimedForwarderHttpClientFactory : ForwarderHttpClientFactory
{
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
        => new UpstreamTimingHandler(base.WrapHandler(context, handler));
}
