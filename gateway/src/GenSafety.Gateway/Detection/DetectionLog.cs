namespace GenSafety.Gateway.Detection;

/// <summary>Log messages of the detection pipeline (event ids 4500-4519). Never logs prompts, bodies or vectors.</summary>
internal static partial class DetectionLog
{
    [LoggerMessage(EventId = 4500, EventName = "DetectionStarted", Level = LogLevel.Information,
        Message = "Detection pipeline started: detectors {Detectors}, prompt embedder {Embedder}, fusion {Fusion}.")]
    public static partial void Started(ILogger logger, string detectors, string embedder, string fusion);

    [LoggerMessage(EventId = 4501, EventName = "ObservationUnreadable", Level = LogLevel.Debug,
        Message = "An observed {RouteKind} exchange could not be read and was skipped.")]
    public static partial void ObservationUnreadable(ILogger logger, string routeKind, Exception exception);

    [LoggerMessage(EventId = 4502, EventName = "EmbeddingFailed", Level = LogLevel.Warning,
        Message = "Embedding {Count} prompts with {Embedder} failed; detectors get no prompt vectors for them.")]
    public static partial void EmbeddingFailed(ILogger logger, int count, string embedder, Exception exception);

    [LoggerMessage(EventId = 4503, EventName = "DetectorFailed", Level = LogLevel.Warning,
        Message = "Detector {Detector} failed on a batch; it is skipped for that client and batch.")]
    public static partial void DetectorFailed(ILogger logger, string detector, Exception exception);

    [LoggerMessage(EventId = 4504, EventName = "DetectorStateUnavailable", Level = LogLevel.Warning,
        Message = "Detector state store unavailable; a batch of {Count} events was not scored.")]
    public static partial void StateUnavailable(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 4505, EventName = "DetectorStateTooLarge", Level = LogLevel.Warning,
        Message = "Detector {Detector} returned {Bytes} bytes of state, over its limit of {Limit}; the state was not stored.")]
    public static partial void StateTooLarge(ILogger logger, string detector, int bytes, int limit);

    [LoggerMessage(EventId = 4506, EventName = "DetectorStateContended", Level = LogLevel.Debug,
        Message = "Detector {Detector} state kept changing under concurrent writers; this batch's update was dropped.")]
    public static partial void StateContended(ILogger logger, string detector);

    [LoggerMessage(EventId = 4507, EventName = "RiskWriteFailed", Level = LogLevel.Warning,
        Message = "Writing detection risk or coverage to the enforcement state failed.")]
    public static partial void RiskWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4508, EventName = "BatchFailed", Level = LogLevel.Error,
        Message = "A detection batch of {Count} events failed.")]
    public static partial void BatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 4509, EventName = "DetectorScoreInvalid", Level = LogLevel.Warning,
        Message = "Detector {Detector} returned a score outside [0, 1]; the result was ignored.")]
    public static partial void ScoreInvalid(ILogger logger, string detector);

    [LoggerMessage(EventId = 4510, EventName = "WindowMmdReferenceLoaded", Level = LogLevel.Information,
        Message = "Window-MMD reference of tenant {Tenant}: {Prompts} prompts in {Streams} streams, {Dimensions}-d, MMD² threshold {Threshold}.")]
    public static partial void ReferenceLoaded(ILogger logger, string tenant, int prompts, int streams, int dimensions, double threshold);

    [LoggerMessage(EventId = 4511, EventName = "SybilLinkingPassFailed", Level = LogLevel.Warning,
        Message = "A sybil-linking pass over tenant {Tenant} failed; it runs again at the next interval.")]
    public static partial void SybilPassFailed(ILogger logger, string tenant, Exception exception);

    [LoggerMessage(EventId = 4512, EventName = "SybilClusterFound", Level = LogLevel.Debug,
        Message = "Sybil linking in tenant {Tenant}: a cluster of {Size} clients with risk {Risk}.")]
    public static partial void SybilCluster(ILogger logger, string tenant, int size, double risk);

    [LoggerMessage(EventId = 4513, EventName = "SybilActivityNotRecorded", Level = LogLevel.Warning,
        Message = "Recording {Count} clients' activity for sybil linking failed; they are missing from the next pass.")]
    public static partial void SybilActivityNotRecorded(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 4514, EventName = "CampaignRaised", Level = LogLevel.Information,
        Message = "Campaign signature {Kind} in tenant {Tenant}: risk {Risk} written to {Members} clients.")]
    public static partial void CampaignRaised(ILogger logger, string tenant, string kind, int members, double risk);

    [LoggerMessage(EventId = 4515, EventName = "CampaignNotTracked", Level = LogLevel.Warning,
        Message = "Recording a campaign signature {Kind} of tenant {Tenant} failed; this batch's requests are missing from it.")]
    public static partial void CampaignNotTracked(ILogger logger, string tenant, string kind, Exception exception);
}
