using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.State;

/// <summary>
/// <see cref="IClientStateStore"/> in process memory: the embedded default when no Redis is configured.
/// Same semantics as <see cref="RedisClientStateStore"/> (one lock makes every operation atomic; usage
/// expires after the idle TTL), but state is neither shared between replicas nor kept across restarts.
/// </summary>
public sealed class InMemoryClientStateStore : IClientStateStore
{
    private static readonly ValueTask<StateStoreHealth> Healthy = new(new StateStoreHealth(true, StateStoreKinds.Memory, TimeSpan.Zero, null));

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Tenant, string ClientId), ClientEntry> _clients = [];
    private readonly Dictionary<string, ApiKeyRecord> _apiKeys = new(StringComparer.Ordinal);
    private readonly TimeSpan _idleTtl;
    private readonly StateMetrics _metrics;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the store and logs that state is in memory and single-instance.</summary>
    public InMemoryClientStateStore(
        IOptions<StateStoreOptions> options, IMeterFactory meterFactory, TimeProvider timeProvider, ILogger<InMemoryClientStateStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _idleTtl = options.Value.IdleClientTtl;
        _metrics = new StateMetrics(meterFactory);
        _timeProvider = timeProvider;
        StateLog.InMemoryStore(logger);
    }

    /// <inheritdoc />
    public string Kind => StateStoreKinds.Memory;

    /// <inheritdoc />
    public ValueTask CreateClientAsync(ClientRecord client, ApiKeyRecord key, CancellationToken cancellationToken)
    {
        StateIds.ValidateNewClient(client, key);
        long start = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_clients.ContainsKey((client.Tenant, client.ClientId)))
            {
                throw new ClientAlreadyExistsException($"Client '{client.ClientId}' already exists in tenant '{client.Tenant}'.");
            }

            if (_apiKeys.ContainsKey(key.KeyId))
            {
                throw new InvalidOperationException($"API key id '{key.KeyId}' is already in use.");
            }

            // Copies, normalised as Redis stores them: the caller keeps no handle on stored state.
            _clients.Add((client.Tenant, client.ClientId), new ClientEntry(client with { CreatedAt = StateTime.Normalize(client.CreatedAt) }, key.KeyId));
            _apiKeys.Add(key.KeyId, key with { Salt = [.. key.Salt], SecretHash = [.. key.SecretHash], CreatedAt = StateTime.Normalize(key.CreatedAt) });
        }

        Timed(StateOperations.CreateClient, start, 0);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ClientRecord?> GetClientAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(clientId, nameof(clientId));
        long start = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            return new(Timed(StateOperations.GetClient, start, _clients.TryGetValue((tenant, clientId), out ClientEntry? entry) ? entry.Client : null));
        }
    }

    /// <inheritdoc />
    public ValueTask<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        if (!StateIds.IsValid(keyId))
        {
            return new((ApiKeyRecord?)null);
        }

        long start = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            return new(Timed(StateOperations.GetApiKey, start, _apiKeys.TryGetValue(keyId, out ApiKeyRecord? key)
                ? key with { Salt = [.. key.Salt], SecretHash = [.. key.SecretHash] }
                : null));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteClientAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(clientId, nameof(clientId));
        long start = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            bool existed = _clients.Remove((tenant, clientId), out ClientEntry? entry);
            foreach (string keyId in entry?.KeyIds ?? [])
            {
                _apiKeys.Remove(keyId);
            }

            return new(Timed(StateOperations.DeleteClient, start, existed));
        }
    }

    /// <inheritdoc />
    public ValueTask<ClientUsage> RecordUsageAsync(
        string tenant, string clientId, long inputTokens, long outputTokens, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(clientId, nameof(clientId));
        StateIds.ValidateUsage(inputTokens, outputTokens);
        long start = Stopwatch.GetTimestamp();
        DateTimeOffset now = StateTime.Normalize(_timeProvider.GetUtcNow());
        ClientUsage usage;
        lock (_gate)
        {
            if (_clients.TryGetValue((tenant, clientId), out ClientEntry? entry))
            {
                ClientUsage current = entry.UsageAt(now);
                usage = new ClientUsage(current.Requests + 1, current.InputTokens + inputTokens, current.OutputTokens + outputTokens, now);
                entry.Usage = usage;
                entry.UsageExpiresAt = now + _idleTtl;
            }
            else
            {
                usage = ClientUsage.None;
            }
        }

        return new(Timed(StateOperations.RecordUsage, start, usage));
    }

    /// <inheritdoc />
    public ValueTask<ClientUsage> GetUsageAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(clientId, nameof(clientId));
        long start = Stopwatch.GetTimestamp();
        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            return new(Timed(StateOperations.GetUsage, start, _clients.TryGetValue((tenant, clientId), out ClientEntry? entry) ? entry.UsageAt(now) : ClientUsage.None));
        }
    }

    /// <inheritdoc />
    public ValueTask<StateStoreHealth> CheckHealthAsync(CancellationToken cancellationToken) => Healthy;

    /// <inheritdoc />
    public ValueTask<ClientRecord?> SetPolicyAsync(string tenant, string clientId, string policy, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(clientId, nameof(clientId));
        StateIds.Validate(policy, nameof(policy));
        long start = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (!_clients.TryGetValue((tenant, clientId), out ClientEntry? entry))
            {
                return new(Timed<ClientRecord?>(StateOperations.SetPolicy, start, null));
            }

            entry.Client = entry.Client with { Policy = policy };
            return new(Timed<ClientRecord?>(StateOperations.SetPolicy, start, entry.Client));
        }
    }

    private T Timed<T>(string operation, long startTimestamp, T result)
    {
        _metrics.RecordDuration(operation, StateStoreKinds.Memory, startTimestamp);
        return result;
    }

    private sealed class ClientEntry(ClientRecord client, string keyId)
    {
        public ClientRecord Client { get; set; } = client;

        public List<string> KeyIds { get; } = [keyId];

        public ClientUsage Usage { get; set; } = ClientUsage.None;

        public DateTimeOffset UsageExpiresAt { get; set; }

        // Redis drops the usage hash when its TTL runs out; here it lapses when read.
        public ClientUsage UsageAt(DateTimeOffset now) => now < UsageExpiresAt ? Usage : ClientUsage.None;
    }
}
