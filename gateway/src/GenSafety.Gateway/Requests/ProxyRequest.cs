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
        if (json is { RootElement.ValueKind: JsonValueKind.Object } root)
        {
            IsStreaming = root.RootElement.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
            // Chat asks with logprobs: true; completions with an integer logprobs (0 included).
            AsksForLogprobs = root.RootElement.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind is JsonValueKind.True or JsonValueKind.Number;
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

    /// <summary>Whether the client asked for token logprobs (chat <c>logprobs: true</c>, completions <c>logprobs: n</c>).</summary>
    public bool AsksForLogprobs { get; }

    /// <inheritdoc />
    public void Dispose() => Json?.Dispose();
}
