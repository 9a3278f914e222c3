using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// What the request path records about one exchange for the detectors, cheaply: who, when, the raw request bytes
/// (owned by the request, never pooled) and what the response handlers saw (finish reasons, usage, a copy of an
/// embeddings response when a detector reads returned embeddings). Set as an <see cref="HttpContext"/> feature by
/// <see cref="DetectionMiddleware"/>, filled by <see cref="DetectionJsonObserver"/> and
/// <see cref="DetectionStreamTransform"/>, then queued; <see cref="QueryEventReader"/> parses it off the request path.
/// </summary>
internal sealed class QueryObservation
{
    private const int MaxFinishReasons = 128;
    private List<string>? _finishReasons;

    /// <summary>Creates the observation of one request.</summary>
    public QueryObservation(string tenant, string clientId, string routeKind, ReadOnlyMemory<byte> requestBody, DateTimeOffset at)
    {
        Tenant = tenant;
        ClientId = clientId;
        RouteKind = routeKind;
        RequestBody = requestBody;
        At = at;
    }

    /// <summary>Tenant.</summary>
    public string Tenant { get; }

    /// <summary>Client.</summary>
    public string ClientId { get; }

    /// <summary>Route kind.</summary>
    public string RouteKind { get; }

    /// <summary>The client's request body as received (before any shaping).</summary>
    public ReadOnlyMemory<byte> RequestBody { get; }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The connection's source network (<see cref="SourceNetworks.Of"/>), or null when unknown.</summary>
    public string? SourceNetwork { get; init; }

    /// <summary>Finish reasons seen in the response, in order.</summary>
    public IReadOnlyList<string> FinishReasons => _finishReasons ?? (IReadOnlyList<string>)[];

    /// <summary>A copy of the upstream's embeddings response body, when a detector reads returned embeddings.</summary>
    public byte[]? EmbeddingsResponse { get; set; }

    /// <summary>The response's usage, taken when the exchange ends.</summary>
    public TokenUsage? Usage { get; set; }

    /// <summary>Records a finish reason (at most 128 per response).</summary>
    public void AddFinishReason(string reason)
    {
        _finishReasons ??= new List<string>(1);
        if (_finishReasons.Count < MaxFinishReasons)
        {
            _finishReasons.Add(reason);
        }
    }
}
