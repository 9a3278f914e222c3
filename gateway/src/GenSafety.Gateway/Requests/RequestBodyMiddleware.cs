using System.Text.Json;
using System.Text.Unicode;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Requests;

/// <summary>
/// Reads the request body once, bounded by <see cref="ProxyOptions.MaxRequestBodyBytes"/> (413 beyond), parses and
/// validates it for the route (400 on malformed JSON or wrong field types), and leaves a <see cref="ProxyRequest"/>
/// in the features. The forwarder then sends the same bytes upstream.
/// </summary>
internal sealed class RequestBodyMiddleware
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    private readonly RequestDelegate _next;
    private readonly ProxyOptions _options;

    public RequestBodyMiddleware(RequestDelegate next, IOptions<ProxyOptions> options)
    {
        _next = next;
        _options = options.Value;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var routeKind = RouteKindMetadata.Of(context);
        if (!HttpMethods.IsPost(context.Request.Method) || OpenAIRequestRules.For(routeKind).Count == 0)
        {
            context.Features.Set(new ProxyRequest(routeKind, ReadOnlyMemory<byte>.Empty, null));
            await _next(context);
            return;
        }

        if (context.Request.ContentLength > _options.MaxRequestBodyBytes)
        {
            await TooLargeAsync(context);
            return;
        }

        if (context.Request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, ErrorCodes.InvalidRequest,
                $"Unsupported Content-Type '{contentType}'; send application/json.");
            return;
        }

        BoundedBody.LiftServerLimit(context);
        byte[]? body;
        try
        {
            body = await BoundedBody.ReadAsync(context.Request, _options.MaxRequestBodyBytes, context.RequestAborted);
        }
        catch (BadHttpRequestException ex)
        {
            await OpenAIError.WriteAsync(context, ex.StatusCode, ErrorCodes.InvalidRequest, "The request body could not be read: " + ex.Message);
            return;
        }
        catch (EndOfStreamException)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest,
                "The request body is shorter than its Content-Length.");
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (body is null)
        {
            await TooLargeAsync(context);
            return;
        }

        // JsonDocument checks UTF-8 inside strings only when they are read; reject it here, once, vectorized.
        if (!Utf8.IsValid(body))
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest,
                "The request body is not valid UTF-8.");
            return;
        }

        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException ex)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest,
                $"We could not parse the JSON body of your request ({Describe(ex)}). Send a valid JSON object in UTF-8.");
            return;
        }

        var request = new ProxyRequest(routeKind, body, json);
        context.Response.RegisterForDispose(request);
        var problem = OpenAIRequestValidator.Validate(routeKind, json.RootElement);
        if (problem is not null)
        {
            await OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, problem.Message, problem.Param);
            return;
        }

        context.Features.Set(request);
        // The forwarder streams Request.Body upstream; hand it the bytes we already hold.
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        await _next(context);
    }

    private static Task TooLargeAsync(HttpContext context)
        => OpenAIError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.RequestTooLarge,
            "The request body is larger than this gateway accepts.");

    // Returns null when the body exceeds the cap; never buffers more than cap + one read. With a Content-Length
    // (the usual case) the body is read straight into one exactly-sized array.
    private static string Describe(JsonException ex)
        => ex.LineNumber is { } line ? $"error at line {line + 1}, position {ex.BytePositionInLine + 1}" : "invalid JSON";
}
