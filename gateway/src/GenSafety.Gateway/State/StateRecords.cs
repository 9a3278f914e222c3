namespace GenSafety.Gateway.State;

/// <summary>A client of the gateway: who it is, which tenant it belongs to and which policy applies.</summary>
/// <param name="ClientId">Identifier unique within the tenant (letters, digits, '-', '_').</param>
/// <param name="Tenant">Tenant namespace (letters, digits, '-', '_').</param>
/// <param name="Policy">Name of the policy applied to the client.</param>
/// <param name="DisplayName">Free-form label for operators.</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record ClientRecord(string ClientId, string Tenant, string Policy, string DisplayName, DateTimeOffset CreatedAt);

/// <summary>
/// A stored API-key credential. Only a salted SHA-256 of the key's secret (peppered with a server secret)
/// is kept; the key itself is shown once, at creation.
/// </summary>
/// <param name="KeyId">Public part of the key, used to find this record.</param>
/// <param name="ClientId">Owner.</param>
/// <param name="Tenant">Owner's tenant.</param>
/// <param name="Salt">Random per-key salt.</param>
/// <param name="SecretHash">SHA-256 over pepper, salt and secret.</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record ApiKeyRecord(string KeyId, string ClientId, string Tenant, byte[] Salt, byte[] SecretHash, DateTimeOffset CreatedAt);

/// <summary>Usage counters of one client.</summary>
/// <param name="Requests">Requests recorded.</param>
/// <param name="InputTokens">Prompt tokens recorded.</param>
/// <param name="OutputTokens">Completion tokens recorded.</param>
/// <param name="LastSeen">Time of the last recorded request, if any.</param>
public sealed record ClientUsage(long Requests, long InputTokens, long OutputTokens, DateTimeOffset? LastSeen)
{
    /// <summary>No usage.</summary>
    public static ClientUsage None { get; } = new(0, 0, 0, null);
}

/// <summary>Result of a state-store health probe.</summary>
/// <param name="Healthy">Whether the store answered.</param>
/// <param name="Kind">Backend name.</param>
/// <param name="Latency">Round-trip time of the probe.</param>
/// <param name="Error">Why it is unhealthy, when it is.</param>
public sealed record StateStoreHealth(bool Healthy, string Kind, TimeSpan Latency, string? Error);

/// <summary>The backing store could not be reached or answered with an error.</summary>
public sealed class StateStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StateStoreUnavailableException() { }

    /// <summary>Creates the exception with a message.</summary>
    public StateStoreUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the backend's error.</summary>
    public StateStoreUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A client with the same id already exists in the tenant.</summary>
public sealed class ClientAlreadyExistsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClientAlreadyExistsException() { }

    /// <summary>Creates the exception with a message.</summary>
    public ClientAlreadyExistsException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping another.</summary>
    public ClientAlreadyExistsException(string message, Exception innerException) : base(message, innerException) { }
}
