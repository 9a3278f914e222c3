using System.Text;
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
        private readonly List<StreamChunkText.ChoiceDelta> _deltas = [];
        private readonly List<(int Start, int Length, string Text)> _splices = [];
        private string? _firstChunk;
        private JsonObject? _envelope;

        // The envelope (id, model, ...) of the first chunk with choices: parsed only when an extra chunk or the model is needed.
        private JsonObject? Envelope => _envelope ??= _firstChunk is null ? null : EnvelopeOf(JsonNode.Parse(_firstChunk)!.AsObject());

        public ValueTask OnEventAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
        {
            if (sseEvent.Kind != SseEventKind.Event || sseEvent.EventType is not null || sseEvent.IsDone)
            {
                return output.WriteAsync(sseEvent, cancellationToken);
            }

            var utf8 = Encoding.UTF8.GetBytes(sseEvent.Data);
            if (!StreamChunkText.TryRead(utf8, chat, _deltas))
            {
                return output.WriteAsync(sseEvent, cancellationToken);
            }

            _firstChunk ??= sseEvent.Data;
            _splices.Clear();
            List<(int Position, string Text)>? inserts = null;
            foreach (var delta in _deltas)
            {
                if (Observe(delta) is not { } send)
                {
                    continue;
                }

                if (delta.Text is not null)
                {
                    _splices.Add((delta.Start, delta.Length, send));
                }
                else
                {
                    (inserts ??= []).Add((delta.Position, send));
                }
            }

            if (inserts is not null)
            {
                return output.WriteAsync(sseEvent with { Data = Insert(sseEvent.Data, _splices, inserts) }, cancellationToken);
            }

            return output.WriteAsync(_splices.Count == 0 ? sseEvent : sseEvent with { Data = StreamChunkText.Splice(utf8, _splices) }, cancellationToken);
        }

        public async ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken)
        {
            foreach (var (index, choice) in _choices)
            {
                // A choice whose stream ended without a finish_reason still owes its held-back word.
                if (choice.Marker?.Complete() is { Length: > 0 } rest && Envelope is not null)
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

            var model = Envelope?["model"] is JsonValue m && m.TryGetValue<string>(out var name) ? name : ResponseMarks.RequestModel(context.Features.Get<ProxyRequest>());
            var delivered = owner._recorder.Record(mark, context.TraceIdentifier, model, outputs);
            if (wantsEvent)
            {
                await output.WriteAsync(new SseEvent(SseEventKind.Event, ReceiptEvent(delivered), ReceiptEventType), cancellationToken);
                owner._metrics.Receipts("event", delivered.Count);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        // Follows the choice's text through its marker; the text to send instead of the delta, or null when it is unchanged.
        private string? Observe(StreamChunkText.ChoiceDelta delta)
        {
            if (delta.Text is null && !delta.Finished)
            {
                return null;
            }

            if (!_choices.TryGetValue(delta.Index, out var state))
            {
                state = new Choice(lexicalKey is null ? null : owner._schemes.Lexical!.BeginStream(lexicalKey));
                _choices[delta.Index] = state;
            }

            var text = delta.Text ?? string.Empty;
            if (state.Marker is null)
            {
                state.Text.Append(text);
                return null;
            }

            var send = state.Marker.Append(text);
            if (delta.Finished)
            {
                send += state.Marker.Complete();
            }

            state.Text.Append(send);
            return send == text ? null : send;
        }

        // Rare: a finishing choice without a text field releases a held-back word; the chunk is rebuilt as a tree.
        private string Insert(string data, List<(int Start, int Length, string Text)> splices, List<(int Position, string Text)> inserts)
        {
            var chunk = JsonNode.Parse(splices.Count == 0 ? data : StreamChunkText.Splice(Encoding.UTF8.GetBytes(data), splices))!.AsObject();
            var choices = chunk["choices"]!.AsArray();
            foreach (var (position, send) in inserts)
            {
                var choice = choices[position]!.AsObject();
                if (!chat)
                {
                    choice["text"] = send;
                }
                else if (choice["delta"] is JsonObject holder)
                {
                    holder["content"] = send;
                }
                else
                {
                    choice["delta"] = new JsonObject { ["content"] = send };
                }
            }

            return chunk.ToJsonString();
        }

        private string RestChunk(int index, string rest)
        {
            var chunk = Envelope!.DeepClone().AsObject();
            var choice = chat
                ? new JsonObject { ["index"] = index, ["delta"] = new JsonObject { ["content"] = rest }, ["finish_reason"] = null }
                : new JsonObject { ["index"] = index, ["text"] = rest, ["finish_reason"] = null };
            chunk["choices"] = new JsonArray(choice);
            return chunk.ToJsonString();
        }

        private static JsonObject EnvelopeOf(JsonObject chunk)
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
