using System.Text.Json;

namespace GenSafety.Gateway.Requests;

/// <summary>
/// The validated request as later stages (shaping, detectors, response transforms) see it. Stored in
/// <c>HttpContext.Features</c>; the parsed document is disposed with the request.
/// </summary>
public sealed class ProxyRequest : IDisposable
{
    /// <summary>Creates the request view.</summary>
    public ProxyRequest(string routeKind, ReadOnlyMemory<byte> body, JsonDocument? json)
    {
        RouteKind = routeKind;
        Body = body;
        Json = json;
        if (json is { RootElement.ValueKind: JsonValueKind.Object } && json.RootElement.TryGetProperty("stream", out var stream))
        {
            IsStreaming = stream.ValueKind == JsonValueKind.True;
        }
    }

    /// <summary>Which OpenAI route this is (<see cref="Proxy.RouteKinds"/>).</summary>
    public string RouteKind { get; }

    /// <summary>The raw body bytes as received (empty for GET).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The parsed body, for routes with a JSON body.</summary>
    public JsonDocument? Json { get; }

    /// <summary>Whether the client asked for a streamed (SSE) response.</summary>
    public bool IsStreaming { get; }

    /// <inheritdoc />
    public void Dispose() => Json?.Dispose();
}
