using System.Text.Json.Nodes;
using GenSafety.Gateway.Proxy;
using GenSafety.Watermarking.Text.Lexical;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Non-streamed chat completions and completions: applies the <c>lexical</c> mark to each choice's text (tool calls
/// and JSON mode untouched), queues each choice's ledger record and sets <c>x-gensafety-receipt</c> (one receipt per
/// choice, in choice order, comma-separated).
/// </summary>
internal sealed class ProvenanceJsonTransform : IJsonResponseTransform
{
    /// <summary>Transform name.</summary>
    public const string TransformName = "provenance";

    private readonly ProvenanceSchemes _schemes;
    private readonly ProvenanceRecorder _recorder;
    private readonly ProvenanceMetrics _metrics;

    public ProvenanceJsonTransform(ProvenanceSchemes schemes, ProvenanceRecorder recorder, ProvenanceMetrics metrics)
    {
        _schemes = schemes;
        _recorder = recorder;
        _metrics = metrics;
    }

    public string Name => TransformName;

    public bool AppliesTo(JsonResponseContext context)
        => _schemes.Enabled && context.Request.RouteKind is RouteKinds.ChatCompletions or RouteKinds.Completions;

    public ValueTask ApplyAsync(JsonResponseContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        if (ResponseMarks.Resolve(http, _schemes, out var lexicalKey) is not { } mark
            || context.Body is not JsonObject body || body["choices"] is not JsonArray choices)
        {
            return ValueTask.CompletedTask;
        }

        var chat = context.Request.RouteKind == RouteKinds.ChatCompletions;
        var outputs = new List<(int, string)>(choices.Count);
        for (var i = 0; i < choices.Count; i++)
        {
            if (choices[i] is not JsonObject choice)
            {
                continue;
            }

            var holder = chat ? choice["message"] as JsonObject : choice;
            var field = chat ? "content" : "text";
            if (holder?[field] is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length == 0)
            {
                continue;
            }

            if (lexicalKey is not null)
            {
                text = _schemes.Lexical!.Mark(text, lexicalKey);
                holder[field] = text;
            }

            outputs.Add((choice["index"] is JsonValue index && index.TryGetValue<int>(out var n) ? n : i, text));
        }

        if (mark.Scheme == LexicalScheme.Name)
        {
            _metrics.Marked(mark.Scheme, outputs.Count > 0);
        }

        if (outputs.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var model = body["model"] is JsonValue m && m.TryGetValue<string>(out var name) ? name : ResponseMarks.RequestModel(context.Request);
        var delivered = _recorder.Record(mark, http.TraceIdentifier, model, outputs);
        if (_schemes.Options.Receipts)
        {
            http.Response.Headers[ResponseMarks.ReceiptHeader] = string.Join(", ", delivered.Select(d => d.Receipt));
            _metrics.Receipts("header", delivered.Count);
        }

        return ValueTask.CompletedTask;
    }
}
