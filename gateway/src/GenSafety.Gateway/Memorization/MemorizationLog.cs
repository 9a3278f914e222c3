namespace GenSafety.Gateway.Memorization;

/// <summary>
/// Log messages of the memorization guard (event ids 6100-6199). A hit names the protected document or image for the
/// audit trail (the client is never told which); no output or prompt text is logged.
/// </summary>
internal static partial class MemorizationLog
{
    [LoggerMessage(EventId = 6120, EventName = "ProtectedTextInOutput", Level = LogLevel.Warning,
        Message = "Protected text in a {RouteKind} output (choice {Choice}, {Characters} normalised characters confirmed, document '{DocumentId}') for client {ClientId} in tenant {Tenant}: {Action}")]
    public static partial void TextHit(ILogger logger, string routeKind, int choice, int characters, string documentId, string clientId, string tenant, string action);

    [LoggerMessage(EventId = 6121, EventName = "ProtectedImageInOutput", Level = LogLevel.Warning,
        Message = "Protected image in an images output (image {Image}, PDQ distance {Distance}, protected image '{ImageId}') for client {ClientId} in tenant {Tenant}: {Action}")]
    public static partial void ImageHit(ILogger logger, int image, int distance, string imageId, string clientId, string tenant, string action);

    [LoggerMessage(EventId = 6122, EventName = "ProtectedPromptSignal", Level = LogLevel.Information,
        Message = "Extraction signal '{Signal}' (score {Score}, document '{DocumentId}') from a prompt of client {ClientId} in tenant {Tenant}")]
    public static partial void PromptSignal(ILogger logger, string signal, double score, string documentId, string clientId, string tenant);

    [LoggerMessage(EventId = 6123, EventName = "MemorizationRiskWriteFailed", Level = LogLevel.Warning,
        Message = "Writing a memorization risk signal failed; the signal is lost")]
    public static partial void RiskWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6124, EventName = "MemorizationResponseUnreadable", Level = LogLevel.Warning,
        Message = "A {RouteKind} response could not be checked for protected content and was withheld")]
    public static partial void ResponseUnreadable(ILogger logger, string routeKind);
}
