using System.Net;
using StackExchange.Redis;

namespace GenSafety.Gateway.State;

/// <summary>Log messages of the state area (event ids 3000-3099). Never logs keys, hashes or passwords.</summary>
internal static partial class StateLog
{
    [LoggerMessage(EventId = 2000, EventName = "InMemoryStateStore", Level = LogLevel.Warning,
        Message = "Client state is kept in memory: single instance only, lost on restart. Set GenSafety:Redis:ConnectionString to share it across replicas.")]
    public static partial void InMemoryStore(ILogger logger);

    [LoggerMessage(EventId = 2001, EventName = "RedisConnecting", Level = LogLevel.Information,
        Message = "Connecting to Redis at {EndPoints} (key prefix '{KeyPrefix}').")]
    public static partial void RedisConnecting(ILogger logger, IEnumerable<EndPoint> endPoints, string keyPrefix);

    [LoggerMessage(EventId = 2002, EventName = "RedisConnectionFailed", Level = LogLevel.Warning,
        Message = "Redis connection to {EndPoint} failed ({FailureType}); retrying in the background.")]
    public static partial void RedisConnectionFailed(ILogger logger, EndPoint? endPoint, ConnectionFailureType failureType, Exception? exception);

    [LoggerMessage(EventId = 2003, EventName = "RedisConnectionRestored", Level = LogLevel.Information,
        Message = "Redis connection to {EndPoint} restored.")]
    public static partial void RedisConnectionRestored(ILogger logger, EndPoint? endPoint);
}
