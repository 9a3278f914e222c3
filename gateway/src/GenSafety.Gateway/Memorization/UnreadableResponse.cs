using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Memorization;

/// <summary>What the buffered-response checks share when a response cannot be read.</summary>
internal static class UnreadableResponse
{
    /// <summary>
    /// Runs <paramref name="apply"/> on a buffered response; a response it cannot read — <c>JsonObject</c> throws on a
    /// duplicate key when first read — is logged and replaced with a 502 <c>upstream_invalid_response</c>, since it
    /// cannot be checked reliably.
    /// </summary>
    public static void ApplyOrBlock(JsonResponseContext context, Action<JsonResponseContext> apply, ILogger logger, string transform)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(apply);
        try
        {
            apply(context);
        }
        catch (ArgumentException)
        {
            MemorizationLog.ResponseUnreadable(logger, context.Request.RouteKind);
            context.Block(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamInvalidResponse, "The upstream returned a response the gateway could not check.", transform);
        }
    }
}
