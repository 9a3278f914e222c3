using System.Text.Json;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Requests;
using GenSafety.Watermarking.Keys;

namespace GenSafety.Gateway.Provenance;

/// <summary>Decides, once per response, how it is marked and whether its text may be touched.</summary>
internal static class ResponseMarks
{
    /// <summary>Header that opts a streamed request into the final receipt event.</summary>
    public const string ReceiptEventHeader = "x-gensafety-receipt-event";

    /// <summary>Response header carrying the receipts of a non-streamed response.</summary>
    public const string ReceiptHeader = "x-gensafety-receipt";

    /// <summary>
    /// The mark of the current response: the one request shaping recorded (<c>unigram-bias</c>), otherwise the
    /// tenant's <c>lexical</c> key, unless the output is JSON (JSON mode is never rewritten). Null without an identity.
    /// </summary>
    public static ResponseMark? Resolve(HttpContext context, ProvenanceSchemes schemes, out WatermarkKey? lexicalKey)
    {
        lexicalKey = null;
        if (context.Features.Get<ResponseMark>() is { } shaped)
        {
            return shaped;
        }

        if (context.Features.Get<ClientIdentity>() is not { } identity)
        {
            return null;
        }

        if (schemes.Options.SchemeFor(identity.Tenant) != WatermarkSchemeNames.Lexical || IsJsonMode(context.Features.Get<ProxyRequest>()))
        {
            return new ResponseMark(identity.Tenant, WatermarkSchemeNames.None, null);
        }

        lexicalKey = schemes.KeyRing!.Current(identity.Tenant, KeyPurpose.Lexical);
        return new ResponseMark(identity.Tenant, WatermarkSchemeNames.Lexical, lexicalKey.Kid);
    }

    /// <summary>The model the request named (empty when none).</summary>
    public static string RequestModel(ProxyRequest? request)
        => request?.Json is { RootElement: { ValueKind: JsonValueKind.Object } root }
            && root.TryGetProperty("model"u8, out var model) && model.ValueKind == JsonValueKind.String
            ? model.GetString()! : string.Empty;

    /// <summary>Whether the client asked for JSON output (<c>response_format</c> <c>json_object</c> or <c>json_schema</c>).</summary>
    public static bool IsJsonMode(ProxyRequest? request)
        => request?.Json is { RootElement: { ValueKind: JsonValueKind.Object } root }
            && root.TryGetProperty("response_format"u8, out var format) && format.ValueKind == JsonValueKind.Object
            && format.TryGetProperty("type"u8, out var type) && type.ValueKind == JsonValueKind.String
            && type.GetString() is "json_object" or "json_schema";
}
