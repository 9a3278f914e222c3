using System.Diagnostics;
using System.Text.Json;
using System.Text.Unicode;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Requests;
using GenSafety.Gateway.State;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// <c>POST /v1/verify/text</c> on the public listener, with a client key: <c>{text, receipt?}</c> →
/// <c>{verdict, p_value, evidence:[{method, score, threshold, record_id?, detail?}]}</c> (see <see cref="TextVerifier"/>).
/// Bad input is a 400 <c>invalid_request</c>; a ledger outage a 503 <c>state_store_unavailable</c>.
/// </summary>
internal static partial class VerificationEndpoints
{
    /// <summary>The route.</summary>
    public const string TextRoute = "/v1/verify/text";

    public static async Task VerifyTextAsync(HttpContext context, ProvenanceSchemes schemes, TextVerifier verifier, ProvenanceMetrics metrics, ILogger<TextVerifier> logger)
    {
        var started = Stopwatch.GetTimestamp();
        var identity = context.Features.Get<ClientIdentity>()!;
        var maxCharacters = schemes.Options.MaxVerifyTextCharacters;
        var maxBytes = (4L * maxCharacters) + 16_384;
        if (await ReadBodyAsync(context, maxBytes) is not { } body)
        {
            return;
        }

        VerifyTextRequest? request = null;
        string? error = "The request body is not valid UTF-8.";
        string? param = null;
        try
        {
            if (Utf8.IsValid(body))
            {
                using var document = JsonDocument.Parse(body);
                request = VerifyTextRequest.Read(document.RootElement, maxCharacters, out error, out param);
            }
        }
        catch (JsonException)
        {
            error = "The request body is not valid JSON.";
        }

        if (request is null)
        {
            await InvalidAsync(context, error!, param);
            return;
        }

        TextVerification result;
        try
        {
            result = await verifier.VerifyAsync(request.Text, request.Receipt, identity.Tenant, context.RequestAborted);
        }
        catch (StateStoreUnavailableException ex)
        {
            ProvenanceLog.LedgerReadFailed(logger, (ex.InnerException ?? ex).GetType().Name);
            await OpenAIError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StateStoreUnavailable,
                "The provenance ledger cannot be read right now; retry shortly.");
            return;
        }

        metrics.Verified(result.Verdict, Stopwatch.GetElapsedTime(started));
        await WriteAsync(context, result);
    }

    private static async Task WriteAsync(HttpContext context, TextVerification result)
    {
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("object", "verification");
        writer.WriteString("verdict", result.Verdict);
        writer.WriteNumber("p_value", result.PValue);
        WriteEvidence(writer, result.Evidence);
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>"evidence": [{method, score, threshold, record_id?, detail?}]</c>.</summary>
    public static void WriteEvidence(Utf8JsonWriter writer, IEnumerable<VerificationEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(evidence);
        writer.WriteStartArray("evidence");
        foreach (var e in evidence)
        {
            writer.WriteStartObject();
            writer.WriteString("method", e.Method);
            writer.WriteNumber("score", e.Score);
            writer.WriteNumber("threshold", e.Threshold);
            if (e.RecordId is not null)
            {
                writer.WriteString("record_id", e.RecordId);
            }

            if (e.Detail is not null)
            {
                writer.WriteString("detail", e.Detail);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static Task InvalidAsync(HttpContext context, string message, string? param)
        => OpenAIError.WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, message, param);

    // Reads a verification body of at most maxBytes; null when the request has been answered already (413 or 400).
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            await TooLargeAsync(context);
            return null;
        }

        BoundedBody.LiftServerLimit(context);
        byte[]? body;
        try
        {
            body = await BoundedBody.ReadAsync(context.Request, maxBytes, context.RequestAborted);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or EndOfStreamException)
        {
            await InvalidAsync(context, "The request body could not be read completely.", null);
            return null;
        }

        if (body is null)
        {
            await TooLargeAsync(context);
        }

        return body;
    }

    private static Task TooLargeAsync(HttpContext context)
        => OpenAIError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.RequestTooLarge, "The request body is larger than this endpoint accepts.");
}
