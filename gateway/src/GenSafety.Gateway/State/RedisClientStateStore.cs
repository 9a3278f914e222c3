using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.State;

/// <summary>
/// <see cref="IClientStateStore"/> on Redis, shared by every gateway replica. Reads are one command,
/// multi-step updates one Lua script (<see cref="RedisScripts"/>); key layout in <see cref="RedisStateKeys"/>.
/// Every Redis failure, including a timeout after <see cref="StateStoreOptions.OperationTimeout"/>,
/// surfaces as <see cref="StateStoreUnavailableException"/>.
/// </summary>
public sealed class RedisClientStateStore : IClientStateStore
{
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisStateKeys _keys;
    private readonly long _idleTtlMs;
    private readonly StateMetrics _metrics;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the store over the process's shared connection.</summary>
    public RedisClientStateStore(
        IConnectionMultiplexer connection, IOptions<StateStoreOptions> options, IMeterFactory meterFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _connection = connection;
        _keys = new RedisStateKeys(options.Value.KeyPrefix);
        _idleTtlMs = (long)options.Value.IdleClientTtl.TotalMilliseconds;
        _metrics = new StateMetrics(meterFactory);
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public string Kind => StateStoreKinds.Redis;

    /// <inheritdoc />
    public async ValueTask CreateClientAsync(ClientRecord client, ApiKeyRecord key, CancellationToken cancellationToken)
    {
        StateIds.ValidateNewClient(client, key);
        RedisKey[] keys =
        [
            _keys.Client(client.Tenant, client.ClientId), _keys.ClientKeys(client.Tenant, client.ClientId),
            _keys.ApiKey(key.KeyId), _keys.Usage(client.Tenant, client.ClientId),
        ];
        RedisValue[] args =
        [
            client.ClientId, client.Tenant, client.Policy, client.DisplayName, StateTime.ToUnixMs(client.CreatedAt),
            key.KeyId, key.Salt, key.SecretHash, StateTime.ToUnixMs(key.CreatedAt),
        ];
        RedisResult result = await ExecuteAsync(
            StateOperations.CreateClient, (keys, args), static (db, s) => db.ScriptEvaluateAsync(RedisScripts.CreateClient, s.keys, s.args), cancellationToken);
        switch ((int)result)
        {
            case 0:
                throw new ClientAlreadyExistsException($"Client '{client.ClientId}' already exists in tenant '{client.Tenant}'.");
            case -1:
                throw new InvalidOperationException($"API key id '{key.KeyId}' is already in use.");
        }
    }

    /// <inheritdoc />
    public async ValueTask<ClientRecord?> GetClientAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(clientId, nameof(clientId));
        RedisValue[] v = await ExecuteAsync(
            StateOperations.GetClient, _keys.Client(tenant, clientId), static (db, k) => db.HashGetAsync(k, RedisStateKeys.ClientFields), cancellationToken);
        return v[0].IsNull ? null : new ClientRecord(v[0]!, v[1]!, v[2]!, v[3]!, StateTime.FromUnixMs((long)v[4]));
    }

    /// <inheritdoc />
    public async ValueTask<ClientRecord?> SetPolicyAsync(string tenant, string clientId, string policy, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(clientId, nameof(clientId));
        StateIds.Validate(policy, nameof(policy));
        RedisResult result = await ExecuteAsync(
            StateOperations.SetPolicy, (_keys.Client(tenant, clientId), policy),
            static (db, s) => db.ScriptEvaluateAsync(RedisScripts.SetPolicy, [s.Item1], [s.policy]), cancellationToken);
        if (result.IsNull)
        {
            return null;
        }

        var v = (RedisValue[])result!;
        return new ClientRecord(v[0]!, v[1]!, v[2]!, v[3]!, StateTime.FromUnixMs((long)v[4]));
    }

    /// <inheritdoc />
    public async ValueTask<ApiKeyRecord?> GetApiKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        // A malformed id cannot have been stored; answering null keeps untrusted input off the error path.
        if (!StateIds.IsValid(keyId))
        {
            return null;
        }

        RedisValue[] v = await ExecuteAsync(
            StateOperations.GetApiKey, _keys.ApiKey(keyId), static (db, k) => db.HashGetAsync(k, RedisStateKeys.ApiKeyFields), cancellationToken);
        return v[0].IsNull ? null : new ApiKeyRecord(keyId, v[0]!, v[1]!, (byte[])v[2]!, (byte[])v[3]!, StateTime.FromUnixMs((long)v[4]));
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteClientAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(clientId, nameof(clientId));
        RedisKey[] keys = [_keys.Client(tenant, clientId), _keys.ClientKeys(tenant, clientId), _keys.Usage(tenant, clientId)];
        RedisValue[] args = [_keys.ApiKeyPrefix];
        RedisResult result = await ExecuteAsync(
            StateOperations.DeleteClient, (keys, args), static (db, s) => db.ScriptEvaluateAsync(RedisScripts.DeleteClient, s.keys, s.args), cancellationToken);
        return (int)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask<ClientUsage> RecordUsageAsync(
        string tenant, string clientId, long inputTokens, long outputTokens, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(clientId, nameof(clientId));
        StateIds.ValidateUsage(inputTokens, outputTokens);
        DateTimeOffset now = StateTime.Normalize(_timeProvider.GetUtcNow());
        RedisKey[] keys = [_keys.Client(tenant, clientId), _keys.Usage(tenant, clientId)];
        RedisValue[] args = [inputTokens, outputTokens, StateTime.ToUnixMs(now), _idleTtlMs];
        RedisResult result = await ExecuteAsync(
            StateOperations.RecordUsage, (keys, args), static (db, s) => db.ScriptEvaluateAsync(RedisScripts.RecordUsage, s.keys, s.args), cancellationToken);
        if (result.IsNull)
        {
            return ClientUsage.None;
        }

        var counts = (long[])result!;
        return new ClientUsage(counts[0], counts[1], counts[2], now);
    }

    /// <inheritdoc />
    public async ValueTask<ClientUsage> GetUsageAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(clientId, nameof(clientId));
        RedisValue[] v = await ExecuteAsync(
            StateOperations.GetUsage, _keys.Usage(tenant, clientId), static (db, k) => db.HashGetAsync(k, RedisStateKeys.UsageFields), cancellationToken);
        return v[0].IsNull
            ? ClientUsage.None
            : new ClientUsage((long)v[0], (long)v[1], (long)v[2], v[3].IsNull ? null : StateTime.FromUnixMs((long)v[3]));
    }

    /// <inheritdoc />
    public async ValueTask<StateStoreHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            TimeSpan latency = await ExecuteAsync(StateOperations.Health, 0, static (db, _) => db.PingAsync(), cancellationToken);
            return new StateStoreHealth(true, Kind, latency, null);
        }
        catch (Exception ex)
        {
            string error = ex is StateStoreUnavailableException { InnerException: { } inner } ? inner.Message : ex.Message;
            return new StateStoreHealth(false, Kind, Stopwatch.GetElapsedTime(start), error);
        }
    }

    private async Task<TResult> ExecuteAsync<TState, TResult>(
        string operation, TState state, Func<IDatabase, TState, Task<TResult>> command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long start = Stopwatch.GetTimestamp();
        try
        {
            // StackExchange.Redis takes no token: the caller may stop waiting, the command still ends within the timeout.
            Task<TResult> task = command(_connection.GetDatabase(), state);
            return await (cancellationToken.CanBeCanceled ? task.WaitAsync(cancellationToken) : task);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            _metrics.RecordError(operation);
            throw new StateStoreUnavailableException($"The Redis state store failed during '{operation}'.", ex);
        }
        finally
        {
            _metrics.RecordDuration(operation, StateStoreKinds.Redis, start);
        }
    }
}
