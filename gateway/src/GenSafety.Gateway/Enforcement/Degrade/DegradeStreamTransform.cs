using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.Streaming;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>
/// The streamed counterpart of <see cref="DegradeJsonTransform"/> for chat completions and completions: each chunk
/// whose data mentions <c>logprob</c> is parsed, its logprobs quantized and its top-logprob lists cut; every other
/// event passes untouched without being parsed. A chunk that cannot be degraded (duplicate keys) ends the stream
/// with <c>upstream_invalid_response</c> rather than passing as it is. When the request asked for logprobs, announces
/// <see cref="DegradeChanges.LogprobsQuantized"/> in <see cref="DegradedHeader"/> before the stream starts.
/// </summary>
public sealed class DegradeStreamTransform : IStreamTransform
{
    private readonly DegradeOptions _options;
    private readonly ILogger<DegradeStreamTransform> _logger;

    /// <summary>Creates the transform.</summary>
    public DegradeStreamTransform(IOptions<DegradeOptions> options, ILogger<DegradeStreamTransform> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => DegradeJsonTransform.TransformName;

    /// <inheritdoc />
    public IStreamTransformSession? Begin(StreamTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var features = context.HttpContext.Features;
        if (context.RouteKind is not (RouteKinds.ChatCompletions or RouteKinds.Completions)
            || features.Get<EnforcementOutcome>() is not { Degrades: true })
        {
            return null;
        }

        if (AsksForLogprobs(features.Get<ProxyRequest>()))
        {
            DegradedHeader.Append(context.HttpContext.Response, [DegradeChanges.LogprobsQuantized]);
        }

        return new Session(context.RouteKind, _options, _logger);
    }

    // Chat: "logprobs": true; completions: "logprobs": <integer>.
    private static bool AsksForLogprobs(ProxyRequest? request)
        => request?.Json is { RootElement.ValueKind: JsonValueKind.Object } json
            && json.RootElement.TryGetProperty("logprobs"u8, out var logprobs)
            && logprobs.ValueKind is JsonValueKind.True or JsonValueKind.Number;

    private sealed class Session(string routeKind, DegradeOptions options, ILogger logger) : IStreamTransformSession
    {
        public ValueTask OnEventAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
        {
            // Chunks without logprobs (nearly all of them, usually) are not parsed at all.
            if (!sseEvent.Data.Contains("logprob", StringComparison.Ordinal))
            {
                return output.WriteAsync(sseEvent, cancellationToken);
            }

            JsonNode? chunk;
            DegradeEdits edits;
            try
            {
                chunk = JsonNode.Parse(sseEvent.Data);
                edits = LogprobDegrader.Apply(chunk, routeKind, options.MaxTopLogprobs, options.LogprobQuantum);
            }
            catch (JsonException)
            {
                return output.WriteAsync(sseEvent, cancellationToken);
            }
            catch (ArgumentException)
            {
                // A duplicate key: the chunk cannot be degraded reliably, and must not pass as it is.
                DegradeLog.ChunkUnreadable(logger, routeKind);
                output.End(new StreamEndReason(ErrorCodes.UpstreamInvalidResponse,
                    "The upstream sent a chunk the gateway could not read.", DegradeJsonTransform.TransformName));
                return ValueTask.CompletedTask;
            }

            return output.WriteAsync(edits == DegradeEdits.None ? sseEvent : sseEvent with { Data = chunk!.ToJsonString() }, cancellationToken);
        }

        public ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
