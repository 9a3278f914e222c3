using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.Streaming;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>
/// The streamed counterpart of <see cref="DegradeJsonTransform"/> for chat completions and completions: each chunk
/// whose data mentions <c>logprob</c> is parsed, its logprobs quantized and its top-logprob lists cut; every other
/// event passes untouched without being parsed. When the request asked for logprobs, announces
/// <see cref="DegradeChanges.LogprobsQuantized"/> in <see cref="DegradedHeader"/> before the stream starts.
/// </summary>
public sealed class DegradeStreamTransform : IStreamTransform
{
    private readonly DegradeOptions _options;

    /// <summary>Creates the transform.</summary>
    public DegradeStreamTransform(IOptions<DegradeOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
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

        return new Session(context.RouteKind, _options);
    }

    // Chat: "logprobs": true; completions: "logprobs": <integer>.
    private static bool AsksForLogprobs(ProxyRequest? request)
        => request?.Json is { RootElement.ValueKind: JsonValueKind.Object } json
            && json.RootElement.TryGetProperty("logprobs"u8, out var logprobs)
            && logprobs.ValueKind is JsonValueKind.True or JsonValueKind.Number;

    private sealed class Session(string routeKind, DegradeOptions options) : IStreamTransformSession
    {
        public ValueTask OnEventAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
            => output.WriteAsync(Degrade(sseEvent), cancellationToken);

        public ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private SseEvent Degrade(SseEvent sseEvent)
        {
            // Chunks without logprobs (nearly all of them, usually) are not parsed at all.
            if (!sseEvent.Data.Contains("logprob", StringComparison.Ordinal))
            {
                return sseEvent;
            }

            JsonNode? chunk;
            try
            {
                chunk = JsonNode.Parse(sseEvent.Data);
            }
            catch (JsonException)
            {
                return sseEvent;
            }

            var edits = LogprobDegrader.Apply(chunk, routeKind, options.MaxTopLogprobs, options.LogprobQuantum);
            return edits == DegradeEdits.None ? sseEvent : sseEvent with { Data = chunk!.ToJsonString() };
        }
    }
}
