using System.Buffers;
using System.Text.Json;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using GenSafety.Watermarking.Keys;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Request shaping for tenants on <c>unigram-bias</c>: merges the keyed green list (+δ) into the upstream request's
/// <c>logit_bias</c> of chat completions and completions. Runs after admission, so the degrade level's and the
/// API-surface rules' edits of the client's own <c>logit_bias</c> are already made and never touch the watermark's
/// entries. Merge rules (the library's <c>Plan</c>): the client's entries are kept with the client's values and win
/// on shared tokens; they count against the entry cap; watermark entries fill the rest; when the client's entries
/// fill the cap nothing is added and the response is recorded as unmarked.
/// </summary>
internal sealed class UnigramBiasShapingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ProvenanceSchemes _schemes;
    private readonly ProvenanceMetrics _metrics;

    public UnigramBiasShapingMiddleware(RequestDelegate next, ProvenanceSchemes schemes, ProvenanceMetrics metrics)
    {
        _next = next;
        _schemes = schemes;
        _metrics = metrics;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (!_schemes.Enabled
            || context.Features.Get<ClientIdentity>() is not { } identity
            || context.Features.Get<ProxyRequest>() is not { Json.RootElement: { ValueKind: JsonValueKind.Object } root } request
            || request.RouteKind is not (RouteKinds.ChatCompletions or RouteKinds.Completions)
            || _schemes.Options.SchemeFor(identity.Tenant) != WatermarkSchemeNames.UnigramBias)
        {
            return _next(context);
        }

        var model = root.TryGetProperty("model"u8, out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var scheme = _schemes.UnigramFor(model);
        if (!ClientLogitBias.TryRead(root, out var clientBias, out var error))
        {
            return OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, error!, "logit_bias");
        }

        var plan = scheme.Plan(_schemes.KeyRing!.Current(identity.Tenant, KeyPurpose.UnigramBias), clientBias, _schemes.UnigramOptions.DeltaFor(model));
        _metrics.Marked(WatermarkSchemeNames.UnigramBias, plan.Applied);
        if (!plan.Applied)
        {
            context.Features.Set(new ResponseMark(identity.Tenant, WatermarkSchemeNames.None, null));
            return _next(context);
        }

        context.Features.Set(new ResponseMark(identity.Tenant, WatermarkSchemeNames.UnigramBias, plan.Kid));
        var body = Rewrite(root, plan.Entries);
        var replaced = new ProxyRequest(request.RouteKind, body, JsonDocument.Parse(body));
        context.Response.RegisterForDispose(replaced);
        context.Features.Set(replaced);
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        return _next(context);
    }

    // Every other field is copied as the client sent it; logit_bias is written last with the merged map.
    private static byte[] Rewrite(JsonElement root, IReadOnlyDictionary<int, double> entries)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (!property.NameEquals("logit_bias"u8))
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteStartObject("logit_bias"u8);
            Span<char> name = stackalloc char[11];
            foreach (var (token, bias) in entries)
            {
                token.TryFormat(name, out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
                writer.WriteNumber(name[..written], bias);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
