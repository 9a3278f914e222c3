namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>Log messages of admission (event ids 3500-3519). Never logs keys or client ids.</summary>
internal static partial class AdmissionLog
{
    [LoggerMessage(EventId = 3500, EventName = "AdmissionFailOpen", Level = LogLevel.Warning,
        Message = "Redis is unreachable: admission continues on local limits divided by {ReplicaCount} replicas (fail-open).")]
    public static partial void FailOpen(ILogger logger, int replicaCount, Exception exception);

    [LoggerMessage(EventId = 3501, EventName = "AdmissionRedisRestored", Level = LogLevel.Information,
        Message = "Redis answers again: admission is back on shared limits.")]
    public static partial void Restored(ILogger logger);

    [LoggerMessage(EventId = 3502, EventName = "AdmissionSettleFailed", Level = LogLevel.Warning,
        Message = "Could not settle a reservation on Redis ({Operation}); its slot or tokens expire by TTL.")]
    public static partial void SettleFailed(ILogger logger, string operation, Exception exception);
}
