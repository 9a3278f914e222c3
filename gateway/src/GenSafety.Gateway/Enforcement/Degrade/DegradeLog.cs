namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>Log messages of degrading (event ids 4200-4219). Never logs bodies, logprobs or embeddings.</summary>
internal static partial class DegradeLog
{
    [LoggerMessage(EventId = 4200, EventName = "ResponseDegraded", Level = LogLevel.Debug,
        Message = "Degraded a {RouteKind} response: {Changes}.")]
    public static partial void Degraded(ILogger logger, string routeKind, IReadOnlyList<string> changes);

    [LoggerMessage(EventId = 4201, EventName = "ResponseUnreadable", Level = LogLevel.Warning,
        Message = "An upstream {RouteKind} response could not be degraded (unreadable embedding or duplicate keys) and was replaced by an error.")]
    public static partial void ResponseUnreadable(ILogger logger, string routeKind);

    [LoggerMessage(EventId = 4202, EventName = "ChunkUnreadable", Level = LogLevel.Warning,
        Message = "An upstream {RouteKind} chunk with logprobs could not be degraded (duplicate keys); the stream was ended.")]
    public static partial void ChunkUnreadable(ILogger logger, string routeKind);
}
