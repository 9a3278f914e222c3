using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.Streaming;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Text.Lexical;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Streamed chat completions and completions: applies the <c>lexical</c> mark to each choice's text deltas with a
/// <see cref="LexicalStreamMarker"/> per choice (at most one word held back, released at the next whitespace, at the
/// choice's <c>finish_reason</c> or at the end), records each choice in the ledger when the upstream completes and,
/// when the request sent <c>x-gensafety-receipt-event: true</c>, sends an <c>event: gensafety.receipt</c> with the
/// receipts before <c>[DONE]</c>. A stream that does not complete (client gone, ended by a transform) is not recorded.
/// </summary>
internal sealed class ProvenanceStreamTransform : IStreamTransform
{
    /// <summary>SSE event type of the receipt event.</summary>
    public const string ReceiptEventType = "gensafety.receipt";

    private readonly ProvenanceSchemes _schemes;
    private readonly ProvenanceRecorder _recorder;
    private readonly ProvenanceMetrics _metrics;

    public ProvenanceStreamTransform(ProvenanceSchemes schemes, ProvenanceRecorder recorder, ProvenanceMetrics metrics)
    {
        _schemes = schemes;
        _recorder = recorder;
        _metrics = metrics;
    }

    public string Name => ProvenanceJsonTransform.TransformName;

    public IStreamTransformSession? Begin(StreamTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_schemes.Enabled || context.RouteKind is not (RouteKinds.ChatCompletions or RouteKinds.Completions)
            || ResponseMarks.Resolve(context.HttpContext, _schemes, out var lexicalKey) is not { } mark)
        {
            return null;
        }

        var wantsEvent = string.Equals(context.HttpContext.Request.Headers[ResponseMarks.ReceiptEventHeader], "true", StringComparison.OrdinalIgnoreCase);
        return new Session(this, context.HttpContext, context.RouteKind == RouteKinds.ChatCompletions, mark, lexicalKey, wantsEvent);
    }

    private sealed class Session(ProvenanceStreamTransform owner, HttpContext context, bool chat, ResponseMark mark, WatermarkKey? lexicalKey, bool wantsEvent)
        : IStreamTransformSession
    {
        private readonly SortedDictionary<int, Choice> _choices = [];
        private JsonObject? _envelope;

        private string Field => chat ? "content" : "text";

        public ValueTask OnEventAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
        {
            JsonObject? chunk;
            try
            {
                chunk = sseEvent.EventType is null ? JsonNode.Parse(sseEvent.Data) as JsonObject : null;
            }
            catch (JsonException)
            {
                chunk = null;
            }

            if (chunk?["choices"] is not JsonArray choices)
            {
                return output.WriteAsync(sseEvent, cancellationToken);
            }

            var changed = false;
            foreach (var node in choices)
            {
                if (node is JsonObject choice)
                {
                    changed |= Observe(choice);
                }
            }

            _envelope ??= Envelope(chunk);
            return output.WriteAsync(changed ? sseEvent with { Data = chunk.ToJsonString() } : sseEvent, cancellationToken);
        }

        public async ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken)
        {
            foreach (var (index, choice) in _choices)
            {
                // A choice whose stream ended without a finish_reason still owes its held-back word.
                if (choice.Marker?.Complete() is { Length: > 0 } rest && _envelope is not null)
                {
                    choice.Text.Append(rest);
                    await output.WriteAsync(SseEvent.FromData(RestChunk(index, rest)), cancellationToken);
                }
            }

            if (mark.Scheme == LexicalScheme.Name)
            {
                owner._metrics.Marked(mark.Scheme, _choices.Count > 0);
            }

            var outputs = _choices.Where(c => c.Value.Text.Length > 0).Select(c => (c.Key, c.Value.Text.ToString())).ToList();
            if (outputs.Count == 0)
            {
                // Tool calls only, or nothing at all: no text to record.
                return;
            }

            var model = _envelope?["model"] is JsonValue m && m.TryGetValue<string>(out var name) ? name : ResponseMarks.RequestModel(context.Features.Get<ProxyRequest>());
            var delivered = owner._recorder.Record(mark, context.TraceIdentifier, model, outputs);
            if (wantsEvent)
            {
                await output.WriteAsync(new SseEvent(SseEventKind.Event, ReceiptEvent(delivered), ReceiptEventType), cancellationToken);
                owner._metrics.Receipts("event", delivered.Count);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        // Marks the choice's text delta in place; true when the chunk changed.
        private bool Observe(JsonObject choice)
        {
            var index = choice["index"] is JsonValue i && i.TryGetValue<int>(out var n) ? n : 0;
            var holder = chat ? choice["delta"] as JsonObject : choice;
            var hasText = holder?[Field] is JsonValue value && value.TryGetValue<string>(out _);
            var finished = choice["finish_reason"] is JsonValue reason && reason.GetValueKind() == JsonValueKind.String;
            if (!hasText && !finished)
            {
                return false;
            }

            if (!_choices.TryGetValue(index, out var state))
            {
                state = new Choice(lexicalKey is null ? null : owner._schemes.Lexical!.BeginStream(lexicalKey));
                _choices[index] = state;
            }

            var delta = hasText ? holder![Field]!.GetValue<string>() : string.Empty;
            if (state.Marker is null)
            {
                state.Text.Append(delta);
                return false;
            }

            var send = state.Marker.Append(delta);
            if (finished)
            {
                send += state.Marker.Complete();
            }

            state.Text.Append(send);
            if (send == delta)
            {
                return false;
            }

            if (holder is not null)
            {
                holder[Field] = send;
            }
            else if (chat)
            {
                choice["delta"] = new JsonObject { ["content"] = send };
            }

            return true;
        }

        private string RestChunk(int index, string rest)
        {
            var chunk = _envelope!.DeepClone().AsObject();
            var choice = chat
                ? new JsonObject { ["index"] = index, ["delta"] = new JsonObject { ["content"] = rest }, ["finish_reason"] = null }
                : new JsonObject { ["index"] = index, ["text"] = rest, ["finish_reason"] = null };
            chunk["choices"] = new JsonArray(choice);
            return chunk.ToJsonString();
        }

        private static JsonObject Envelope(JsonObject chunk)
        {
            var envelope = new JsonObject();
            foreach (var name in (string[])["id", "object", "created", "model", "system_fingerprint"])
            {
                if (chunk[name] is { } value)
                {
                    envelope[name] = value.DeepClone();
                }
            }

            return envelope;
        }

        private static string ReceiptEvent(IReadOnlyList<DeliveredOutput> delivered)
        {
            var receipts = new JsonArray();
            foreach (var d in delivered)
            {
                receipts.Add(new JsonObject { ["index"] = d.Index, ["record_id"] = d.RecordId, ["receipt"] = d.Receipt });
            }

            return new JsonObject { ["object"] = ReceiptEventType, ["receipts"] = receipts }.ToJsonString();
        }

        private sealed class Choice(LexicalStreamMarker? marker)
        {
            public LexicalStreamMarker? Marker { get; } = marker;

            public StringBuilder Text { get; } = new();
        }
    }
}
