namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>Log messages of degrading (event ids 4200-4219). Never logs bodies, logprobs or embeddings.</summary>
internal static partial class DegradeLog
{
    [LoggerMessage(EventId = 4200, EventName = "ResponseDegraded", Level = LogLevel.Debug,
        Message = "Degraded a {RouteKind} response: {Changes}.")]
    public static partial void Degraded(ILogger logger, string routeKind, IReadOnlyList<string> changes);

    [LoggerMessage(EventId = 4201, EventName = "EmbeddingsUnreadable", Level = LogLevel.Warning,
        Message = "An upstream embeddings response held an embedding that is neither numbers nor base64 floats; it was replaced by an error.")]
    public static partial void EmbeddingsUnreadable(ILogger logger);
}
