using System.Text.Json;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.State;
using GenSafety.Watermarking.Images;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// <c>POST /v1/verify/image</c> on the public listener, with a client key: <c>{image_b64, receipt?}</c> →
/// <c>{verdict, p_value, evidence:[...]}</c> (see <see cref="ImageVerifier"/>). Bad JSON, bad base64 and anything the
/// image decoder refuses (not PNG/JPEG/WebP, animated, truncated, smaller than the scheme's least side, too many pixels)
/// are a 400 <c>invalid_request</c>; a body over <see cref="ProvenanceOptions.MaxVerifyImageBytes"/> a 413; a ledger
/// outage a 503 <c>state_store_unavailable</c>.
/// </summary>
internal static partial class VerificationEndpoints
{
    /// <summary>The image route.</summary>
    public const string ImageRoute = "/v1/verify/image";

    public static async Task VerifyImageAsync(HttpContext context, ProvenanceSchemes schemes, ImageVerifier verifier, ProvenanceMetrics metrics, ILogger<ImageVerifier> logger)
    {
        var identity = context.Features.Get<ClientIdentity>()!;
        var maxImage = schemes.Options.MaxVerifyImageBytes;
        var maxBytes = (((long)maxImage + 2) / 3 * 4) + 16_384;
        if (await ReadBodyAsync(context, maxBytes) is not { } body)
        {
            return;
        }

        VerifyImageRequest? request = null;
        string? error;
        string? param = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            request = VerifyImageRequest.Read(document.RootElement, maxImage, out error, out param);
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

        RgbaImage image;
        try
        {
            var options = schemes.ImageOptions!;
            image = ImageCodec.Decode(request.Image, options.MinSide, options.MaxPixels).Image;
        }
        catch (InvalidImageException ex)
        {
            await InvalidAsync(context, ex.Message, "image_b64");
            return;
        }

        ImageVerification result;
        try
        {
            result = await verifier.VerifyAsync(request.Image, image, request.Receipt, identity.Tenant, context.RequestAborted);
        }
        catch (StateStoreUnavailableException ex)
        {
            ProvenanceLog.LedgerReadFailed(logger, (ex.InnerException ?? ex).GetType().Name);
            await OpenAIError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.StateStoreUnavailable,
                "The provenance ledger cannot be read right now; retry shortly.");
            return;
        }

        metrics.ImageVerified(result.Verdict);
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("object", "verification");
        writer.WriteString("verdict", result.Verdict);
        writer.WriteNumber("p_value", result.PValue);
        WriteEvidence(writer, result.Evidence);
        writer.WriteEndObject();
    }
}
