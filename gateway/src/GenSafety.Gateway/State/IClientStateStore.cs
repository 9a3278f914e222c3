namespace GenSafety.Gateway.State;

/// <summary>
/// Shared per-client state: client records, API-key credentials and usage counters.
/// Implementations: <c>RedisClientStateStore</c> (production, any number of replicas) and
/// <c>InMemoryClientStateStore</c> (embedded default, single instance).
/// Every multi-step update is atomic. Failures to reach the backing store surface as
/// <see cref="StateStoreUnavailableException"/>, never as backend-specific exceptions.
/// Tenant, client and key ids are 1 to 64 ASCII letters, digits, '-' or '_'; other ids are rejected with
/// <see cref="ArgumentException"/> (except by <see cref="GetApiKeyAsync"/>, which answers <see langword="null"/>).
/// Times are kept to the millisecond and read back in UTC.
/// </summary>
public interface IClientStateStore
{
    /// <summary>Backend name as shown in <c>/readyz</c> and metrics: <c>redis</c> or <c>memory</c>.</summary>
    string Kind { get; }

    /// <summary>Atomically stores a new client and its first API key.</summary>
    /// <exception cref="ClientAlreadyExistsException">A client with that id exists in the tenant.</exception>
    /// <exception cref="InvalidOperationException">Another client already uses the key id.</exception>
    /// <exception cref="ArgumentException">An id is malformed, or the key belongs to another client.</exception>
    ValueTask CreateClientAsync(ClientRecord client, ApiKeyRecord key, CancellationToken cancellationToken);

    /// <summary>Returns the client, or <see langword="null"/> when none has that id in the tenant.</summary>
    ValueTask<ClientRecord?> GetClientAsync(string tenant, string clientId, CancellationToken cancellationToken);

    /// <summary>Changes the client's policy; returns the updated client, or <see langword="null"/> when it does not exist.</summary>
    ValueTask<ClientRecord?> SetPolicyAsync(string tenant, string clientId, string policy, CancellationToken cancellationToken);

    /// <summary>Returns the stored credential for a key id, or <see langword="null"/> (also for a malformed id, which cannot exist).</summary>
    ValueTask<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken cancellationToken);

    /// <summary>Atomically removes a client, every key it owns and its usage. Returns whether it existed.</summary>
    ValueTask<bool> DeleteClientAsync(string tenant, string clientId, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically adds one request and the given token counts to the client's usage, renews its idle TTL and
    /// returns the new totals. For an unknown (e.g. just deleted) client nothing is recorded and zeros are returned.
    /// </summary>
    ValueTask<ClientUsage> RecordUsageAsync(string tenant, string clientId, long inputTokens, long outputTokens, CancellationToken cancellationToken);

    /// <summary>Reads the client's usage counters (zeros for a client with none, or idle past the TTL).</summary>
    ValueTask<ClientUsage> GetUsageAsync(string tenant, string clientId, CancellationToken cancellationToken);

    /// <summary>Round-trips to the backing store; never throws.</summary>
    ValueTask<StateStoreHealth> CheckHealthAsync(CancellationToken cancellationToken);
}
