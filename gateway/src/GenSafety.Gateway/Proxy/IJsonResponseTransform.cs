using System.Text.Json.Nodes;
using GenSafety.Gateway.Requests;

namespace GenSafety.Gateway.Proxy;

/// <summary>
/// A named plug-in that reads and may rewrite a buffered (non-streamed) JSON response from the upstream, or replace
/// it with an error. Registered in DI as <c>IJsonResponseTransform</c>; transforms run in registration order.
/// </summary>
public interface IJsonResponseTransform
{
    /// <summary>Name used in configuration and telemetry.</summary>
    string Name { get; }

    /// <summary>Cheap check: whether the transform wants this response. When none does, the body is only validated, not parsed into a tree.</summary>
    bool AppliesTo(JsonResponseContext context);

    /// <summary>Reads or changes <see cref="JsonResponseContext.Body"/>, or calls <see cref="JsonResponseContext.Block"/>.</summary>
    ValueTask ApplyAsync(JsonResponseContext context, CancellationToken cancellationToken);
}

/// <summary>One buffered upstream JSON response on its way to the client.</summary>
public sealed class JsonResponseContext
{
    /// <summary>Creates the context.</summary>
    public JsonResponseContext(HttpContext httpContext, ProxyRequest request, int statusCode)
    {
        HttpContext = httpContext;
        Request = request;
        StatusCode = statusCode;
    }

    /// <summary>The client's request context.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The validated client request.</summary>
    public ProxyRequest Request { get; }

    /// <summary>The upstream's status code.</summary>
    public int StatusCode { get; }

    /// <summary>The response body; transforms may change it in place or replace it. Set before the first transform runs.</summary>
    public JsonNode? Body { get; set; }

    /// <summary>Set by <see cref="Block"/>: the error the client gets instead of the body.</summary>
    public BlockedResponse? Blocked { get; private set; }

    /// <summary>Replaces the response with an OpenAI-shaped error; later transforms do not run.</summary>
    public void Block(int statusCode, string code, string message, string transform)
        => Blocked = new BlockedResponse(statusCode, code, message, transform);
}

/// <summary>An error that replaces an upstream response.</summary>
/// <param name="StatusCode">HTTP status for the client.</param>
/// <param name="Code">Error code.</param>
/// <param name="Message">Error message.</param>
/// <param name="Transform">The transform that blocked the response.</param>
public sealed record BlockedResponse(int StatusCode, string Code, string Message, string Transform);
