using System.Text.Json;
using GenSafety.Gateway.Admin;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Requests;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// <c>POST /admin/ownership/test</c> on the admin listener: <c>{tenant, texts, model?}</c> → the
/// <see cref="OwnershipTest"/> answer. Bad input is a 400 <c>invalid_request</c> naming the field, a larger body a 413.
/// </summary>
internal static class OwnershipEndpoints
{
    /// <summary>The route.</summary>
    public const string Route = "/admin/ownership/test";

    /// <summary>Characters of all texts together: a corpus of a few thousand outputs.</summary>
    public const long MaxCharacters = 16L * 1024 * 1024;

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

        var result = OwnershipTest.Run(schemes, request);
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        OwnershipTest.Write(writer, result);
    }
}
