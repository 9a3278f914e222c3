namespace GenSafety.Gateway.State;

/// <summary>
/// Settings of the client state store, bound from <c>GenSafety:Redis</c>
/// (environment: <c>GenSafety__Redis__ConnectionString</c> and so on).
/// </summary>
public sealed class StateStoreOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "GenSafety:Redis";

    /// <summary>
    /// StackExchange.Redis connection string (<c>host:port,password=...</c>). Empty or absent selects the
    /// in-memory store (single instance, state lost on restart). The timeouts below override any given here.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>First segment of every Redis key (<c>gs:{tenant}:...</c>); lets several deployments share one Redis.</summary>
    public string KeyPrefix { get; set; } = "gs";

    /// <summary>How long a client's usage counters live after its last recorded request; renewed on every write.</summary>
    public TimeSpan IdleClientTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Longest a single store operation may take before it fails (Redis sync and async timeouts).</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest a connection attempt to Redis may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether a Redis connection string is configured (otherwise state is kept in memory).</summary>
    public bool UsesRedis => !string.IsNullOrWhiteSpace(ConnectionString);
}
