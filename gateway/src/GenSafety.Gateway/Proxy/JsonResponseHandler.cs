using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.Telemetry;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Proxy;

/// <summary>
/// Buffers a non-streamed upstream response (bounded by <see cref="ProxyOptions.MaxResponseBodyBytes"/>), checks
/// that it is JSON, runs the <see cref="IJsonResponseTransform"/> chain and writes the result. Upstream garbage
/// becomes a 502 <c>upstream_invalid_response</c>; a non-JSON upstream error keeps its status as <c>upstream_error</c>.
/// </summary>
internal sealed partial class JsonResponseHandler
{
    private readonly IJsonResponseTransform[] _transforms;
    private readonly IJsonResponseObserver[] _observers;
    private readonly ProxyOptions _options;
    private readonly ILogger<JsonResponseHandler> _logger;

    public JsonResponseHandler(
        IEnumerable<IJsonResponseTransform> transforms, IEnumerable<IJsonResponseObserver> observers, IOptions<ProxyOptions> options, ILogger<JsonResponseHandler> logger)
    {
        _transforms = transforms.ToArray();
        _observers = observers.ToArray();
        _options = options.Value;
        _logger = logger;
    }

    public async Task HandleAsync(HttpContext context, HttpResponseMessage upstream, ProxyRequest request)
    {
        var timing = UpstreamTiming.Of(context);
        var statusCode = (int)upstream.StatusCode;
        var (buffer, length) = await ReadAsync(upstream, timing, context.RequestAborted);
        try
        {
            if (buffer is null)
            {
                LogResponseTooLarge(_logger, _options.MaxResponseBodyBytes);
                await OpenAIError.WriteAsync(context, StatusCodes.Status502BadGateway, ErrorCodes.UpstreamInvalidResponse,
                    $"The upstream response is larger than the gateway's limit of {_options.MaxResponseBodyBytes} bytes.");
                return;
            }

            var body = buffer.AsMemory(0, length);
            if (!TryScan(body.Span, out var usage))
            {
                await WriteInvalidAsync(context, statusCode);
                return;
            }

            if (usage is not null)
            {
                context.Features.Set(usage);
            }

            var transformContext = new JsonResponseContext(context, request, statusCode);
            if (statusCode is >= 200 and < 300)
            {
                foreach (var observer in _observers)
                {
                    observer.Observe(transformContext, body.Span);
                }
            }

            if (statusCode is >= 200 and < 300 && AnyApplies(transformContext))
            {
                await WriteTransformedAsync(context, transformContext, body);
                return;
            }

            await WriteBytesAsync(context, body);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private bool AnyApplies(JsonResponseContext context)
    {
        foreach (var transform in _transforms)
        {
            if (transform.AppliesTo(context))
            {
                return true;
            }
        }

        return false;
    }

    private async Task WriteTransformedAsync(HttpContext context, JsonResponseContext transformContext, ReadOnlyMemory<byte> body)
    {
        transformContext.Body = JsonNode.Parse(body.Span);
        foreach (var transform in _transforms)
        {
            if (!transform.AppliesTo(transformContext))
            {
                continue;
            }

            using (var span = GatewayTracing.Start(GatewayTracing.Transform))
            {
                span?.SetTag("gensafety.transform", transform.Name);
                await transform.ApplyAsync(transformContext, context.RequestAborted);
                span?.SetTag("gensafety.blocked", transformContext.Blocked is not null);
            }

            if (transformContext.Blocked is { } blocked)
            {
                LogBlocked(_logger, blocked.Transform, blocked.Code);
                await OpenAIError.WriteAsync(context, blocked.StatusCode, blocked.Code, blocked.Message);
                return;
            }
        }

        var bytes = transformContext.Body is null ? "null"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(transformContext.Body);
        await WriteBytesAsync(context, bytes);
    }

    private static async Task WriteBytesAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private Task WriteInvalidAsync(HttpContext context, int statusCode)
    {
        LogInvalidResponse(_logger, statusCode);
        return statusCode is >= 200 and < 300
            ? OpenAIError.WriteAsync(context, StatusCodes.Status502BadGateway, ErrorCodes.UpstreamInvalidResponse,
                "The upstream returned a response that is not valid JSON.")
            : OpenAIError.WriteAsync(context, statusCode, ErrorCodes.UpstreamError,
                $"The upstream failed with HTTP {statusCode} and a body that is not an OpenAI-style error.");
    }

    // Returns (null, 0) when the body exceeds the cap. The buffer is pooled: the caller returns it.
    private async Task<(byte[]? Buffer, int Length)> ReadAsync(HttpResponseMessage upstream, UpstreamTiming timing, CancellationToken cancellationToken)
    {
        var cap = _options.MaxResponseBodyBytes;
        var declared = upstream.Content.Headers.ContentLength;
        if (declared > cap)
        {
            return (null, 0);
        }

        var start = Stopwatch.GetTimestamp();
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(declared ?? 16 * 1024, cap) + 1);
        var length = 0;
        try
        {
            await using var stream = await upstream.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length > cap)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0);
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, cap + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        finally
        {
            timing.AddUpstream(start, Stopwatch.GetTimestamp());
        }
    }

    // Validates the whole document without building a tree, picking up the top-level "usage" on the way:
    // the pass-through path stays cheap.
    private static bool TryScan(ReadOnlySpan<byte> body, out TokenUsage? usage)
    {
        usage = null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isUsage = reader.ValueTextEquals("usage"u8);
                reader.Read();
                if (isUsage && reader.TokenType == JsonTokenType.StartObject)
                {
                    usage = TokenUsage.Read(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Upstream response exceeded {Limit} bytes and was replaced by an error")]
    private static partial void LogResponseTooLarge(ILogger logger, long limit);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Upstream response with status {StatusCode} was not valid JSON and was replaced by an error")]
    private static partial void LogInvalidResponse(ILogger logger, int statusCode);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Response blocked by transform {Transform} with code {Code}")]
    private static partial void LogBlocked(ILogger logger, string transform, string code);
}
