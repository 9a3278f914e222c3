using System.Diagnostics;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// <see cref="IAdmissionStore"/> on Redis, shared by every replica: one EVALSHA per admission
/// (<see cref="AdmissionRedisScripts.Admit"/>), one per reconciliation, one ZREM per stream release.
/// Every Redis failure surfaces as <see cref="StateStoreUnavailableException"/>.
/// </summary>
public sealed class RedisAdmissionStore : IAdmissionStore
{
    /// <summary>Value of <see cref="Kind"/> and <see cref="AdmissionReservation.Backend"/>.</summary>
    public const string KindName = "redis";

    private readonly IConnectionMultiplexer _connection;
    private readonly AdmissionRedisKeys _keys;
    private readonly long _slotTtlMs;
    private readonly AdmissionMetrics _metrics;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the store over a connection (the process's shared one in the gateway).</summary>
    public RedisAdmissionStore(
        IConnectionMultiplexer connection, IOptions<StateStoreOptions> stateOptions, IOptions<AdmissionOptions> options,
        AdmissionMetrics metrics, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(stateOptions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _connection = connection;
        _keys = new AdmissionRedisKeys(stateOptions.Value.KeyPrefix);
        _slotTtlMs = (long)options.Value.StreamSlotTtl.TotalMilliseconds;
        _metrics = metrics;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public async ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, PolicyLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        request.Validate();
        long start = Stopwatch.GetTimestamp();
        string id = Guid.NewGuid().ToString("N");
        RedisKey[] keys = _keys.ForAdmission(request.Identity.Tenant, request.Identity.ClientId, request.Now);
        RedisValue[] args =
        [
            AdmissionClock.ToMs(request.Now), limits.RequestsPerMinute, limits.TokensPerMinute, limits.MaxConcurrentStreams,
            limits.DailyTokenQuota, request.ReservedTokens, request.IsStream ? 1 : 0, id, _slotTtlMs,
            AdmissionClock.UntilDayEnds(request.Now, request.Now),
        ];
        RedisResult result = await ExecuteAsync(
            "admit", (keys, args), static (db, s) => db.ScriptEvaluateAsync(AdmissionRedisScripts.Admit, s.keys, s.args), cancellationToken);
        var v = (long[])result!;
        bool admitted = v[0] == 1;
        var decision = new AdmissionDecision
        {
            Admitted = admitted,
            Reservation = admitted
                ? new AdmissionReservation(id, request.Identity, limits, request.InputTokens, request.ReservedOutputTokens, request.IsStream, request.Now, KindName)
                : null,
            Limit = (AdmissionLimit)v[1],
            RetryAfter = AdmissionClock.Ms(v[2]),
            Requests = new RateLimitStatus(limits.RequestsPerMinute, v[3], AdmissionClock.Ms(v[4])),
            Tokens = new RateLimitStatus(limits.TokensPerMinute, v[5], AdmissionClock.Ms(v[6])),
            DailyTokensRemaining = v[7] < 0 ? null : v[7],
        };
        _metrics.RecordDecision(decision, KindName, start);
        return decision;
    }

    /// <inheritdoc />
    public async ValueTask<long> ReconcileAsync(AdmissionReservation reservation, long actualOutputTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        ArgumentOutOfRangeException.ThrowIfNegative(actualOutputTokens);
        long delta = reservation.ReservedOutputTokens - actualOutputTokens;
        PolicyLimits limits = reservation.Limits;
        if (delta == 0 || (limits.TokensPerMinute == 0 && limits.DailyTokenQuota == 0))
        {
            return delta;
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        RedisKey[] keys = _keys.ForReconcile(reservation.Identity.Tenant, reservation.Identity.ClientId, reservation.AdmittedAt);
        RedisValue[] args =
        [
            AdmissionClock.ToMs(now), limits.TokensPerMinute, delta, limits.DailyTokenQuota,
            AdmissionClock.UntilDayEnds(reservation.AdmittedAt, now),
        ];
        await ExecuteAsync(
            "reconcile", (keys, args), static (db, s) => db.ScriptEvaluateAsync(AdmissionRedisScripts.Reconcile, s.keys, s.args), cancellationToken);
        return delta;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseStreamAsync(AdmissionReservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (!reservation.IsStream || reservation.Limits.MaxConcurrentStreams == 0)
        {
            return;
        }

        RedisKey key = _keys.Streams(reservation.Identity.Tenant, reservation.Identity.ClientId);
        await ExecuteAsync("release_stream", (key, reservation.Id), static (db, s) => db.SortedSetRemoveAsync(s.key, s.Id), cancellationToken);
    }

    private static async Task<TResult> ExecuteAsync<TState, TResult>(
        string operation, TState state, Func<IDatabase, TState, Task<TResult>> command, IConnectionMultiplexer connection, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // StackExchange.Redis takes no token: the caller may stop waiting, the command still ends within the timeout.
            Task<TResult> task = command(connection.GetDatabase(), state);
            return await (cancellationToken.CanBeCanceled ? task.WaitAsync(cancellationToken) : task);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new StateStoreUnavailableException($"The Redis admission store failed during '{operation}'.", ex);
        }
    }

    private Task<TResult> ExecuteAsync<TState, TResult>(
        string operation, TState state, Func<IDatabase, TState, Task<TResult>> command, CancellationToken cancellationToken) =>
        ExecuteAsync(operation, state, command, _connection, cancellationToken);
}
