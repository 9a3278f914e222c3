using System.Text.Json;
using GenSafety.Gateway.Admin;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Requests;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// <c>POST /admin/ownership/test</c> on the admin listener: does a suspect model's output carry our watermark? The
/// texts are pooled into one sample and tested with both text schemes under the tenant's live and retired keys
/// (<c>TextVerifier.WatermarkTests</c>): a model distilled from marked outputs inherits their green-token excess
/// and synonym choices, so evidence adds up over the texts where one text alone would be too short. Answers
/// <c>{object:"ownership_test", verdict, p_value, texts, evidence:[...]}</c>; <c>verdict</c> is
/// <c>evidence_of_ownership</c> when p ≤ <c>GenSafety:Watermarking:VerifyFalsePositiveRate</c>, else
/// <c>no_evidence</c>.
/// </summary>
internal static class OwnershipEndpoints
{
    /// <summary>The route.</summary>
    public const string Route = "/admin/ownership/test";

    /// <summary>Verdict when the pooled p-value is at or below the verification false-positive rate.</summary>
    public const string Owned = "evidence_of_ownership";

    /// <summary>Verdict otherwise.</summary>
    public const string NotOwned = "no_evidence";

    // Characters of all texts together: a corpus of a few thousand outputs.
    private const long MaxCharacters = 16L * 1024 * 1024;

    public static IEndpointRouteBuilder MapOwnershipEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Route, TestAsync).AddEndpointFilter<AdminAuthenticationFilter>().WithMetadata(AdminListenerMetadata.Instance);
        return endpoints;
    }

    private static async Task TestAsync(HttpContext context, ProvenanceSchemes schemes)
    {
        OwnershipRequest request;
        try
        {
            request = await JsonRequestBody.ReadAsync(
                context, (4 * MaxCharacters) + 65_536, root => OwnershipRequest.Read(root, MaxCharacters), (message, param) => new OwnershipRequestException(message, param));
        }
        catch (OwnershipRequestException ex)
        {
            var tooLarge = ex.Param == JsonRequestBody.TooLargeParam;
            await OpenAIError.WriteAsync(context, tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                tooLarge ? ErrorCodes.RequestTooLarge : ErrorCodes.InvalidRequest, ex.Message, tooLarge ? null : ex.Param);
            return;
        }

        var evidence = new List<VerificationEvidence>();
        var pValue = TextVerifier.WatermarkTests(schemes, string.Join("\n\n", request.Texts), [request.Tenant], request.Model, evidence);
        var verdict = pValue <= schemes.Options.VerifyFalsePositiveRate ? Owned : NotOwned;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("object", "ownership_test");
        writer.WriteString("verdict", verdict);
        writer.WriteNumber("p_value", pValue);
        writer.WriteNumber("texts", request.Texts.Count);
        VerificationEndpoints.WriteEvidence(writer, evidence);
        writer.WriteEndObject();
    }
}
