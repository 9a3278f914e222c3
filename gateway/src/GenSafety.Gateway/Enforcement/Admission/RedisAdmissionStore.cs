using System.Diagnostics;
using System.Globalization;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// <see cref="IAdmissionStore"/> on Redis, shared by every replica: one EVALSHA per admission
/// (<see cref="AdmissionRedisScripts.Admit"/>: identity, policy, level, limits, proof-of-work, reservation) and, after
/// the response, settlement (<see cref="AdmissionRedisScripts.Settle"/>: reconciliation, stream release, usage),
/// batched by <see cref="SettlementBatcher"/>: at most one call per request, far fewer under load.
/// Every Redis failure surfaces as <see cref="StateStoreUnavailableException"/>.
/// </summary>
public sealed class RedisAdmissionStore : IAdmissionStore, IAsyncDisposable
{
    /// <summary>Value of <see cref="Kind"/> and <see cref="AdmissionReservation.Backend"/>.</summary>
    public const string KindName = "redis";

    private readonly IConnectionMultiplexer _connection;
    private readonly AdmissionRedisKeys _keys;
    private readonly EnforcementRedisKeys _enforcementKeys;
    private readonly EnforcementOptions _enforcement;
    private readonly long _slotTtlMs;
    private readonly long _usageTtlMs;
    private readonly AdmissionMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly SettlementBatcher _settlements;

    /// <summary>Creates the store over a connection (the process's shared one in the gateway).</summary>
    public RedisAdmissionStore(
        IConnectionMultiplexer connection, IOptions<StateStoreOptions> stateOptions, IOptions<AdmissionOptions> options,
        IOptions<EnforcementOptions> enforcement, AdmissionMetrics metrics, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(stateOptions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(enforcement);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _connection = connection;
        _keys = new AdmissionRedisKeys(stateOptions.Value.KeyPrefix);
        _enforcementKeys = new EnforcementRedisKeys(stateOptions.Value.KeyPrefix);
        _enforcement = enforcement.Value;
        _slotTtlMs = (long)options.Value.StreamSlotTtl.TotalMilliseconds;
        _usageTtlMs = (long)stateOptions.Value.IdleClientTtl.TotalMilliseconds;
        _settlements = new SettlementBatcher(connection, _keys.SettlementMarker(Guid.NewGuid().ToString("N")), metrics);
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
        ClientIdentity identity = request.Identity;
        RedisKey[] keys = _keys.ForAdmission(identity.Tenant, identity.ClientId, request.Now);
        Array.Resize(ref keys, 8);
        keys[4] = _keys.Client(identity.Tenant, identity.ClientId);
        keys[5] = _enforcementKeys.Risk(identity.Tenant, identity.ClientId);
        keys[6] = _enforcementKeys.Audit(identity.Tenant);
        keys[7] = _enforcementKeys.ProofOfWork(identity.Tenant, request.Proof.TokenId ?? "-");
        var args = new RedisValue[15 + EnforcementRedisScripts.LadderArgCount];
        args[0] = AdmissionClock.ToMs(request.Now);
        args[1] = limits.RequestsPerMinute;
        args[2] = limits.TokensPerMinute;
        args[3] = limits.MaxConcurrentStreams;
        args[4] = limits.DailyTokenQuota;
        args[5] = request.ReservedTokens;
        args[6] = request.IsStream ? 1 : 0;
        args[7] = id;
        args[8] = _slotTtlMs;
        args[9] = AdmissionClock.UntilDayEnds(request.Now, request.Now);
        args[10] = identity.Policy;
        args[11] = request.ProofOfWorkLevels;
        args[12] = request.BlockLevels;
        args[13] = request.Proof.Status;
        args[14] = request.Proof.ExpiresAt.ToUnixTimeMilliseconds();
        EnforcementRedisScripts.WriteLadderArgs(args, 15, _enforcement, identity.ClientId);
        RedisResult result = await ExecuteAsync(
            "admit", (keys, args), static (db, s) => db.ScriptEvaluateAsync(AdmissionRedisScripts.Admit, s.keys, s.args), cancellationToken);
        var v = (RedisResult[])result!;
        bool admitted = (long)v[0] == 1;
        var decision = new AdmissionDecision
        {
            Admitted = admitted,
            Reservation = admitted
                ? new AdmissionReservation(id, identity, limits, request.InputTokens, request.ReservedOutputTokens, request.IsStream, request.Now, KindName)
                : null,
            Limit = (AdmissionLimit)(long)v[1],
            RetryAfter = AdmissionClock.Ms((long)v[2]),
            Requests = new RateLimitStatus(limits.RequestsPerMinute, (long)v[3], AdmissionClock.Ms((long)v[4])),
            Tokens = new RateLimitStatus(limits.TokensPerMinute, (long)v[5], AdmissionClock.Ms((long)v[6])),
            DailyTokensRemaining = (long)v[7] < 0 ? null : (long)v[7],
            Level = (EnforcementLevel)(long)v[8],
            Risk = double.Parse((string)v[9]!, CultureInfo.InvariantCulture),
            Coverage = ((string?)v[10]) is { Length: > 0 } coverage ? double.Parse(coverage, CultureInfo.InvariantCulture) : null,
            StoredPolicy = (string?)v[11] is { Length: > 0 } stored && stored != identity.Policy ? stored : null,
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
        if (delta != 0 && (reservation.Limits.TokensPerMinute > 0 || reservation.Limits.DailyTokenQuota > 0))
        {
            await SettleCoreAsync(reservation, delta, stream: false, usage: null, cancellationToken);
        }

        return delta;
    }

    /// <inheritdoc />
    public async ValueTask ReleaseStreamAsync(AdmissionReservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.IsStream && reservation.Limits.MaxConcurrentStreams > 0)
        {
            await SettleCoreAsync(reservation, 0, stream: true, usage: null, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask SettleAsync(AdmissionReservation reservation, long actualOutputTokens, UsageDelta? usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        ArgumentOutOfRangeException.ThrowIfNegative(actualOutputTokens);
        PolicyLimits limits = reservation.Limits;
        long delta = limits.TokensPerMinute > 0 || limits.DailyTokenQuota > 0 ? reservation.ReservedOutputTokens - actualOutputTokens : 0;
        bool stream = reservation.IsStream && limits.MaxConcurrentStreams > 0;
        if (delta != 0 || stream || usage is not null)
        {
            await SettleCoreAsync(reservation, delta, stream, usage, cancellationToken);
        }
    }

    private Task SettleCoreAsync(AdmissionReservation reservation, long delta, bool stream, UsageDelta? usage, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        ClientIdentity identity = reservation.Identity;
        RedisKey[] keys = _keys.ForSettle(identity.Tenant, identity.ClientId, reservation.AdmittedAt);
        RedisValue[] args =
        [
            AdmissionClock.ToMs(now), reservation.Limits.TokensPerMinute, delta, reservation.Limits.DailyTokenQuota,
            AdmissionClock.UntilDayEnds(reservation.AdmittedAt, now), stream ? reservation.Id : string.Empty,
            usage?.InputTokens ?? -1, usage?.OutputTokens ?? 0, _usageTtlMs,
        ];
        cancellationToken.ThrowIfCancellationRequested();
        Task settled = _settlements.SettleAsync(keys, args);
        return cancellationToken.CanBeCanceled ? settled.WaitAsync(cancellationToken) : settled;
    }

    /// <summary>Flushes queued settlements (waiting at most a few seconds).</summary>
    public ValueTask DisposeAsync() => _settlements.DisposeAsync();

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
