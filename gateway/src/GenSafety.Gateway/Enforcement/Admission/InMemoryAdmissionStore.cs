using System.Collections.Concurrent;
using System.Diagnostics;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Enforcement.ProofOfWork;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// <see cref="IAdmissionStore"/> in process memory, with the semantics of <see cref="RedisAdmissionStore"/>
/// (same GCRA arithmetic, same slot and day rules), atomic per client through a lock on that client's state.
/// Used without Redis and, by <see cref="FailoverAdmissionStore"/>, while Redis fails. Idle clients are
/// swept out, so memory is bounded by the clients active within the last minute, day and slot TTL.
/// </summary>
public sealed class InMemoryAdmissionStore : IAdmissionStore
{
    /// <summary>Value of <see cref="Kind"/> and <see cref="AdmissionReservation.Backend"/>.</summary>
    public const string KindName = "memory";

    private const int SweepEvery = 4096;

    private readonly ConcurrentDictionary<(string Tenant, string ClientId), ClientState> _clients = new();
    private readonly long _slotTtlMs;
    private readonly InMemoryRiskStore _risk;
    private readonly InMemoryChallengeReplayGuard _proofs;
    private readonly IClientStateStore _usage;
    private readonly AdmissionMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private int _sinceSweep;

    /// <summary>
    /// Creates the store. Levels come from <paramref name="risk"/> (in Redis mode, the levels mirrored from Redis for
    /// fail-open); usage goes to <paramref name="usage"/>.
    /// </summary>
    public InMemoryAdmissionStore(
        IOptions<AdmissionOptions> options, InMemoryRiskStore risk, IClientStateStore usage, AdmissionMetrics metrics, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(risk);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _slotTtlMs = (long)options.Value.StreamSlotTtl.TotalMilliseconds;
        _risk = risk;
        _usage = usage;
        _proofs = new InMemoryChallengeReplayGuard(timeProvider);
        _metrics = metrics;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <summary>Number of clients with state (for tests of the sweep).</summary>
    internal int ClientCount => _clients.Count;

    /// <inheritdoc />
    public ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, PolicyLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        request.Validate();
        long start = Stopwatch.GetTimestamp();
        long now = AdmissionClock.ToMs(request.Now);
        if (Interlocked.Increment(ref _sinceSweep) >= SweepEvery)
        {
            Sweep(now);
        }

        var (level, risk, blockedUntil, coverage) = _risk.Evaluate(request.Identity.Tenant, request.Identity.ClientId, now);
        var bit = 1 << (int)level;
        AdmissionDecision decision;
        if ((request.BlockLevels & bit) != 0)
        {
            decision = new AdmissionDecision
            {
                Admitted = false,
                Limit = AdmissionLimit.Blocked,
                RetryAfter = AdmissionClock.Ms(Math.Max(blockedUntil - now, 0)),
                Level = level,
                Risk = risk,
                Coverage = coverage,
            };
            _metrics.RecordDecision(decision, KindName, start);
            return ValueTask.FromResult(decision);
        }

        while (true)
        {
            ClientState state = _clients.GetOrAdd((request.Identity.Tenant, request.Identity.ClientId), static _ => new ClientState());
            lock (state)
            {
                // A sweep removed this state after we fetched it: take the fresh one.
                if (state.Removed)
                {
                    continue;
                }

                decision = Admit(state, request, limits, now, (request.ProofOfWorkLevels & bit) != 0) with { Level = level, Risk = risk, Coverage = coverage };
                break;
            }
        }

        _metrics.RecordDecision(decision, KindName, start);
        return ValueTask.FromResult(decision);
    }

    /// <inheritdoc />
    public ValueTask<long> ReconcileAsync(AdmissionReservation reservation, long actualOutputTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        ArgumentOutOfRangeException.ThrowIfNegative(actualOutputTokens);
        long delta = reservation.ReservedOutputTokens - actualOutputTokens;
        PolicyLimits limits = reservation.Limits;
        if (delta == 0 || (limits.TokensPerMinute == 0 && limits.DailyTokenQuota == 0)
            || !_clients.TryGetValue((reservation.Identity.Tenant, reservation.Identity.ClientId), out ClientState? state))
        {
            return ValueTask.FromResult(delta);
        }

        long now = AdmissionClock.ToMs(_timeProvider.GetUtcNow());
        lock (state)
        {
            if (limits.TokensPerMinute > 0 && (state.TokenTat > now || delta < 0))
            {
                state.TokenTat = Math.Max(Math.Max(state.TokenTat, now) - (delta * (double)AdmissionClock.PeriodMs / limits.TokensPerMinute), now);
            }

            if (limits.DailyTokenQuota > 0 && state.Day == AdmissionClock.Day(reservation.AdmittedAt))
            {
                state.DayUsed = Math.Max(state.DayUsed - delta, 0);
            }
        }

        return ValueTask.FromResult(delta);
    }

    /// <inheritdoc />
    public ValueTask ReleaseStreamAsync(AdmissionReservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        if (reservation.IsStream && _clients.TryGetValue((reservation.Identity.Tenant, reservation.Identity.ClientId), out ClientState? state))
        {
            lock (state)
            {
                state.Streams.Remove(reservation.Id);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask SettleAsync(AdmissionReservation reservation, long actualOutputTokens, UsageDelta? usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        await ReconcileAsync(reservation, actualOutputTokens, cancellationToken);
        await ReleaseStreamAsync(reservation, cancellationToken);
        if (usage is not null)
        {
            await _usage.RecordUsageAsync(reservation.Identity.Tenant, reservation.Identity.ClientId, usage.InputTokens, usage.OutputTokens, cancellationToken);
        }
    }

    private AdmissionDecision Admit(ClientState state, AdmissionRequest request, PolicyLimits limits, long now, bool needsProof)
    {
        const double Period = AdmissionClock.PeriodMs;
        var limit = AdmissionLimit.None;
        double retry = 0;
        void Fail(AdmissionLimit which, double ms)
        {
            if (limit == AdmissionLimit.None || ms > retry)
            {
                (limit, retry) = (which, ms);
            }
        }

        long cost = request.ReservedTokens;
        double requestTat = now, newRequestTat = now, tokenTat = now, newTokenTat = now;
        if (limits.RequestsPerMinute > 0)
        {
            requestTat = Math.Max(state.RequestTat, now);
            newRequestTat = requestTat + (Period / limits.RequestsPerMinute);
            if (newRequestTat - now > Period)
            {
                Fail(AdmissionLimit.Requests, newRequestTat - Period - now);
            }
        }

        if (limits.TokensPerMinute > 0)
        {
            tokenTat = Math.Max(state.TokenTat, now);
            newTokenTat = tokenTat + (cost * Period / limits.TokensPerMinute);
            if (newTokenTat - now > Period)
            {
                Fail(AdmissionLimit.Tokens, cost > limits.TokensPerMinute ? Period : newTokenTat - Period - now);
            }
        }

        bool takesSlot = request.IsStream && limits.MaxConcurrentStreams > 0;
        if (takesSlot)
        {
            state.Streams.RemoveWhere(static (_, expiry, n) => expiry <= n, now);
            if (state.Streams.Count >= limits.MaxConcurrentStreams)
            {
                Fail(AdmissionLimit.ConcurrentStreams, Math.Max(state.Streams.Values.Min() - now, 1));
            }
        }

        long day = AdmissionClock.Day(request.Now);
        if (state.Day != day)
        {
            (state.Day, state.DayUsed) = (day, 0);
        }

        if (limits.DailyTokenQuota > 0 && state.DayUsed + cost > limits.DailyTokenQuota)
        {
            Fail(AdmissionLimit.DailyTokens, AdmissionClock.UntilDayEnds(request.Now, request.Now));
        }

        if (limit == AdmissionLimit.None && needsProof)
        {
            // Like the Redis script: the proof is redeemed only when everything else admits the request.
            limit = request.Proof switch
            {
                { Status: 0 } => AdmissionLimit.ChallengeRequired,
                { Status: 1, TokenId: { } token } when _proofs.TryConsume(request.Identity.Tenant, token, request.Proof.ExpiresAt) => AdmissionLimit.None,
                _ => AdmissionLimit.ChallengeRejected,
            };
        }

        AdmissionReservation? reservation = null;
        if (limit == AdmissionLimit.None)
        {
            string id = Guid.NewGuid().ToString("N");
            if (limits.RequestsPerMinute > 0)
            {
                state.RequestTat = requestTat = newRequestTat;
            }

            if (limits.TokensPerMinute > 0 && cost > 0)
            {
                state.TokenTat = tokenTat = newTokenTat;
            }

            if (takesSlot)
            {
                state.Streams[id] = now + _slotTtlMs;
            }

            if (limits.DailyTokenQuota > 0)
            {
                state.DayUsed += cost;
            }

            reservation = new AdmissionReservation(
                id, request.Identity, limits, request.InputTokens, request.ReservedOutputTokens, request.IsStream, request.Now, KindName);
        }

        return new AdmissionDecision
        {
            Admitted = reservation is not null,
            Reservation = reservation,
            Limit = limit,
            RetryAfter = AdmissionClock.Ms((long)Math.Ceiling(retry)),
            Requests = Status(limits.RequestsPerMinute, requestTat - now),
            Tokens = Status(limits.TokensPerMinute, tokenTat - now),
            DailyTokensRemaining = limits.DailyTokenQuota > 0 ? Math.Max(limits.DailyTokenQuota - state.DayUsed, 0) : null,
        };
    }

    private static RateLimitStatus Status(long perMinute, double resetMs) => perMinute == 0
        ? default
        : new RateLimitStatus(
            perMinute,
            Math.Max((long)Math.Floor(((AdmissionClock.PeriodMs - resetMs) * perMinute / AdmissionClock.PeriodMs) + 1e-9), 0),
            AdmissionClock.Ms((long)Math.Ceiling(resetMs)));

    private void Sweep(long now)
    {
        Interlocked.Exchange(ref _sinceSweep, 0);
        foreach (KeyValuePair<(string, string), ClientState> entry in _clients)
        {
            ClientState state = entry.Value;
            lock (state)
            {
                state.Streams.RemoveWhere(static (_, expiry, n) => expiry <= n, now);
                if (state.RequestTat <= now && state.TokenTat <= now && state.Streams.Count == 0
                    && (state.DayUsed == 0 || state.Day < AdmissionClock.Day(DateTimeOffset.FromUnixTimeMilliseconds(now))))
                {
                    state.Removed = true;
                    _clients.TryRemove(entry);
                }
            }
        }
    }

    private sealed class ClientState
    {
        public double RequestTat;
        public double TokenTat;
        public long Day;
        public long DayUsed;
        public bool Removed;
        public readonly Dictionary<string, long> Streams = new(StringComparer.Ordinal);
    }
}

internal static class StreamSlots
{
    /// <summary>Removes the entries matching <paramref name="predicate"/>.</summary>
    public static void RemoveWhere<TState>(this Dictionary<string, long> slots, Func<string, long, TState, bool> predicate, TState state)
    {
        foreach (KeyValuePair<string, long> slot in slots)
        {
            if (predicate(slot.Key, slot.Value, state))
            {
                slots.Remove(slot.Key);
            }
        }
    }
}
