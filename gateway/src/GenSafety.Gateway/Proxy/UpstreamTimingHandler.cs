using System.Diagnostics;
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
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await base.SendAsync(request, cancellationToken);
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
