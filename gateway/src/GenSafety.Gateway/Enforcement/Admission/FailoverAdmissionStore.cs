using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Applies <c>GenSafety:Redis:FailureMode</c> around <see cref="RedisAdmissionStore"/>. <c>closed</c>: a Redis
/// failure propagates as <see cref="StateStoreUnavailableException"/> (the caller answers 503). <c>open</c>:
/// while Redis fails, decisions are taken by an <see cref="InMemoryAdmissionStore"/> on the policy limits divided
/// by <c>GenSafety:Enforcement:ReplicaCount</c>, marked <see cref="AdmissionDecision.Degraded"/> and counted;
/// Redis is tried again after <see cref="RetryInterval"/>, and decisions return to it as soon as it answers.
/// Reservations are settled on the store that admitted them.
/// </summary>
public sealed class FailoverAdmissionStore : IAdmissionStore
{
    /// <summary>How long fail-open decisions skip Redis after a failure before trying it again.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private readonly RedisAdmissionStore _redis;
    private readonly InMemoryAdmissionStore _local;
    private readonly InMemoryRiskStore _mirror;
    private readonly AdmissionMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly bool _failOpen;
    private readonly int _replicaCount;
    private long _retryRedisAtTicks;
    private int _degraded;

    /// <summary>Creates the decorator.</summary>
    public FailoverAdmissionStore(
        RedisAdmissionStore redis, InMemoryAdmissionStore local, InMemoryRiskStore mirror, IOptions<AdmissionOptions> options, AdmissionMetrics metrics,
        TimeProvider timeProvider, ILogger<FailoverAdmissionStore> logger)
    {
        ArgumentNullException.ThrowIfNull(mirror);
        _mirror = mirror;
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _redis = redis;
        _local = local;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
        _failOpen = options.Value.FailsOpen;
        _replicaCount = options.Value.ReplicaCount;
    }

    /// <summary>Whether decisions are currently taken on local limits (for <c>/readyz</c>: degraded).</summary>
    public bool IsDegraded => Volatile.Read(ref _degraded) == 1;

    /// <inheritdoc />
    public string Kind => IsDegraded ? _local.Kind : _redis.Kind;

    /// <inheritdoc />
    public async ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, PolicyLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!_failOpen)
        {
            return await _redis.AdmitAsync(request, limits, cancellationToken);
        }

        // Wall-clock ticks of the process (not request.Now): the retry pause is about Redis, not the caller's clock.
        long nowTicks = _timeProvider.GetTimestamp();
        if (!IsDegraded || nowTicks >= Volatile.Read(ref _retryRedisAtTicks))
        {
            try
            {
                AdmissionDecision decision = await _redis.AdmitAsync(request, limits, cancellationToken);
                if (Interlocked.Exchange(ref _degraded, 0) == 1)
                {
                    _metrics.RecordFailOpenEnded();
                    AdmissionLog.Restored(_logger);
                }

                Remember(request, decision);
                return decision;
            }
            catch (StateStoreUnavailableException ex)
            {
                Volatile.Write(ref _retryRedisAtTicks, nowTicks + (long)(RetryInterval.TotalSeconds * _timeProvider.TimestampFrequency));
                if (Interlocked.Exchange(ref _degraded, 1) == 0)
                {
                    _metrics.RecordFailOpenStarted();
                    AdmissionLog.FailOpen(_logger, _replicaCount, ex);
                }
            }
        }

        _metrics.RecordFailOpen();
        AdmissionDecision local = await _local.AdmitAsync(request, limits.PerReplica(_replicaCount), cancellationToken);
        return local with { Degraded = true };
    }

    /// <inheritdoc />
    public async ValueTask SettleAsync(AdmissionReservation reservation, long actualOutputTokens, UsageDelta? usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Backend == InMemoryAdmissionStore.KindName)
        {
            await _local.SettleAsync(reservation, actualOutputTokens, usage, cancellationToken);
            return;
        }

        try
        {
            await _redis.SettleAsync(reservation, actualOutputTokens, usage, cancellationToken);
        }
        catch (StateStoreUnavailableException ex) when (_failOpen)
        {
            // Tokens stay charged until their GCRA window passes (never over the limit); the slot expires after its TTL.
            AdmissionLog.SettleFailed(_logger, "settle", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> ReconcileAsync(AdmissionReservation reservation, long actualOutputTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Backend == InMemoryAdmissionStore.KindName)
        {
            return await _local.ReconcileAsync(reservation, actualOutputTokens, cancellationToken);
        }

        try
        {
            return await _redis.ReconcileAsync(reservation, actualOutputTokens, cancellationToken);
        }
        catch (StateStoreUnavailableException ex) when (_failOpen)
        {
            // The reservation stays charged until its GCRA window passes: conservative, never over the limit.
            AdmissionLog.SettleFailed(_logger, "reconcile", ex);
            return reservation.ReservedOutputTokens - actualOutputTokens;
        }
    }

    // Keeps the levels above L0 seen in Redis, so a fail-open outage does not lift blocks and challenges.
    private void Remember(AdmissionRequest request, AdmissionDecision decision)
    {
        if (!_failOpen || decision.Limit is AdmissionLimit.PolicyChanged or AdmissionLimit.UnknownClient)
        {
            return;
        }

        if (decision.Level != EnforcementLevel.Allow)
        {
            _mirror.Mirror(request.Identity.Tenant, request.Identity.ClientId, decision.Level, decision.Risk,
                decision.Limit == AdmissionLimit.Blocked ? decision.RetryAfter : TimeSpan.Zero, decision.Coverage, AdmissionClock.ToMs(request.Now));
        }
        else
        {
            _mirror.Forget(request.Identity.Tenant, request.Identity.ClientId);
        }
    }

    /// <inheritdoc />
    public async ValueTask ReleaseStreamAsync(AdmissionReservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.Backend == InMemoryAdmissionStore.KindName)
        {
            await _local.ReleaseStreamAsync(reservation, cancellationToken);
            return;
        }

        try
        {
            await _redis.ReleaseStreamAsync(reservation, cancellationToken);
        }
        catch (StateStoreUnavailableException ex) when (_failOpen)
        {
            // The slot expires after GenSafety:Enforcement:StreamSlotTtl.
            AdmissionLog.SettleFailed(_logger, "release_stream", ex);
        }
    }
}
