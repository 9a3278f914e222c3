using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace GenSafety.Gateway.Telemetry;

/// <summary>
/// The request-path instruments (meter <c>GenSafety.Gateway</c>). Tags are bounded: route kind and status code, never
/// client ids or content. Exported at <c>/metrics</c> by prometheus-net's meter adapter (dots become underscores).
/// </summary>
public sealed class GatewayMetrics
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "GenSafety.Gateway";

    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Histogram<double> _overhead;

    /// <summary>Creates the instruments.</summary>
    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requestDuration = meter.CreateHistogram<double>("gensafety.gateway.request.duration", unit: "s",
            description: "Time from receiving a proxied request to finishing its response; its count is the request count by route and status code.");
        _upstreamDuration = meter.CreateHistogram<double>("gensafety.gateway.upstream.duration", unit: "s",
            description: "Time spent waiting on the upstream (headers and body) per proxied request.");
        _overhead = meter.CreateHistogram<double>("gensafety.gateway.overhead", unit: "s",
            description: "Gateway overhead per proxied request: total time minus upstream time.");
    }

    /// <summary>Records one finished proxied request.</summary>
    public void RequestFinished(string routeKind, int statusCode, TimeSpan total, TimeSpan upstream, TimeSpan overhead, bool forwarded)
    {
        if (_requestDuration.Enabled || _upstreamDuration.Enabled || _overhead.Enabled)
        {
            RecordCore(routeKind, statusCode, total, upstream, overhead, forwarded);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordCore(string routeKind, int statusCode, TimeSpan total, TimeSpan upstream, TimeSpan overhead, bool forwarded)
    {
        var route = new KeyValuePair<string, object?>("route", routeKind);
        var status = new KeyValuePair<string, object?>("status_code", StatusCodeText(statusCode));
        _requestDuration.Record(total.TotalSeconds, route, status);
        if (forwarded)
        {
            _upstreamDuration.Record(upstream.TotalSeconds, route, status);
        }

        _overhead.Record(overhead.TotalSeconds, route);
    }

    // Boxed strings for common codes keep the tag path allocation-free.
    private static string StatusCodeText(int statusCode) => statusCode switch
    {
        200 => "200",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        413 => "413",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        _ => statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
