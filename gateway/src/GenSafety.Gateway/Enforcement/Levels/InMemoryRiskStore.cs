using System.Collections.Concurrent;
using System.Globalization;

namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// <see cref="IRiskStore"/> in process memory with the semantics of <see cref="RedisRiskStore"/> (same ladder
/// through <see cref="RiskLadder"/>); also what the in-memory admission store reads levels from. Single instance only.
/// </summary>
public sealed class InMemoryRiskStore : IRiskStore
{
    private readonly ConcurrentDictionary<(string Tenant, string ClientId), RiskState> _clients = new();
    private readonly ConcurrentDictionary<string, AuditLog> _audit = new(StringComparer.Ordinal);
    private readonly RiskLadder _ladder;
    private readonly TimeProvider _time;

    /// <summary>Creates the store.</summary>
    public InMemoryRiskStore(RiskLadder ladder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(ladder);
        ArgumentNullException.ThrowIfNull(time);
        _ladder = ladder;
        _time = time;
    }

    /// <summary>
    /// The client's level at <paramref name="nowMs"/> for admission: decays, applies pins and blocks, records level
    /// changes like the Redis script does. Returns L0 and risk 0 for a client without state.
    /// </summary>
    public (EnforcementLevel Level, double Risk, long BlockedUntilMs, double? Coverage) Evaluate(string tenant, string clientId, long nowMs)
    {
        if (!_clients.TryGetValue((tenant, clientId), out var state))
        {
            return (EnforcementLevel.Allow, 0, 0, null);
        }

        lock (state)
        {
            var risk = Ladder(tenant, clientId, state, nowMs, "decay", "risk decayed");
            return (state.Level, risk, state.BlockedUntil, state.Coverage);
        }
    }

    /// <summary>
    /// Holds a level seen in the shared store so that fail-open decisions keep enforcing it while Redis is away:
    /// the level is pinned locally (until <see cref="Forget"/>), with the risk, block end and coverage seen.
    /// </summary>
    public void Mirror(string tenant, string clientId, EnforcementLevel level, double risk, TimeSpan blockedFor, double? coverage, long nowMs)
    {
        var state = _clients.GetOrAdd((tenant, clientId), static _ => new RiskState());
        lock (state)
        {
            (state.Score, state.At, state.Level, state.Pinned, state.PinnedUntil, state.Coverage) = (risk, nowMs, level, (int)level, 0, coverage);
            state.BlockedUntil = blockedFor > TimeSpan.Zero ? nowMs + (long)blockedFor.TotalMilliseconds : 0;
        }
    }

    /// <summary>Drops a mirrored client (its shared level is back to L0); true when there was one.</summary>
    public bool Forget(string tenant, string clientId) => !_clients.IsEmpty && _clients.TryRemove((tenant, clientId), out _);

    /// <inheritdoc />
    public ValueTask<RiskSnapshot> GetAsync(string tenant, string clientId, CancellationToken cancellationToken)
        => ValueTask.FromResult(Update(tenant, clientId, "decay", "risk decayed", static (_, _, _) => { }, create: false));

    /// <inheritdoc />
    public ValueTask<RiskSnapshot> SetRiskAsync(string tenant, string clientId, RiskUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        RiskSnapshotValidation.CheckScore(update.Score);
        return ValueTask.FromResult(Update(tenant, clientId, update.Actor, update.Reason, (state, now, decayed) =>
        {
            state.Score = update.RaiseOnly ? Math.Max(decayed, update.Score) : update.Score;
            state.At = now;
            state.Reasons[update.Source] = new RiskReason(update.Source, update.Score, update.Reason, DateTimeOffset.FromUnixTimeMilliseconds(now));
        }));
    }

    /// <inheritdoc />
    public ValueTask<RiskSnapshot> PinLevelAsync(
        string tenant, string clientId, EnforcementLevel? level, TimeSpan? duration, string actor, string reason, CancellationToken cancellationToken)
        => ValueTask.FromResult(Update(tenant, clientId, actor, reason, (state, now, _) =>
        {
            state.Pinned = level is { } pinned ? (int)pinned : -1;
            state.PinnedUntil = level is not null && duration is { } d ? now + (long)d.TotalMilliseconds : 0;
            if (level is null)
            {
                state.BlockedUntil = 0;
            }
        }, alwaysAudit: true));

    /// <inheritdoc />
    public ValueTask<RiskSnapshot> UnblockAsync(string tenant, string clientId, string actor, string reason, CancellationToken cancellationToken)
        => ValueTask.FromResult(Update(tenant, clientId, actor, reason, (state, now, _) =>
        {
            (state.Pinned, state.PinnedUntil, state.BlockedUntil, state.Score, state.At) = (-1, 0, 0, 0, now);
            state.Reasons["admin"] = new RiskReason("admin", 0, reason, DateTimeOffset.FromUnixTimeMilliseconds(now));
        }, alwaysAudit: true));

    /// <inheritdoc />
    public ValueTask SetCoverageAsync(string tenant, string clientId, double coverage, CancellationToken cancellationToken)
    {
        RiskSnapshotValidation.CheckScore(coverage);
        var state = _clients.GetOrAdd((tenant, clientId), static _ => new RiskState());
        lock (state)
        {
            state.Coverage = coverage;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<AuditEntry>> ReadAuditAsync(string tenant, string? clientId, int count, CancellationToken cancellationToken)
        => ValueTask.FromResult(_audit.TryGetValue(tenant, out var log) ? log.Newest(clientId, count) : (IReadOnlyList<AuditEntry>)[]);

    /// <inheritdoc />
    public ValueTask DeleteAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        _clients.TryRemove((tenant, clientId), out _);
        return ValueTask.CompletedTask;
    }

    private RiskSnapshot Update(
        string tenant, string clientId, string actor, string reason, Action<RiskState, long, double> change, bool create = true, bool alwaysAudit = false)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!create && !_clients.ContainsKey((tenant, clientId)))
        {
            return new RiskSnapshot(0, EnforcementLevel.Allow, null, null, null, null, []);
        }

        var state = _clients.GetOrAdd((tenant, clientId), static _ => new RiskState());
        lock (state)
        {
            change(state, now, _ladder.Decay(state.Score, state.At, now));
            var risk = Ladder(tenant, clientId, state, now, actor, reason, alwaysAudit);
            return new RiskSnapshot(
                risk, state.Level, state.Pinned >= 0 ? (EnforcementLevel)state.Pinned : null,
                state.Pinned >= 0 && state.PinnedUntil > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(state.PinnedUntil) : null,
                state.BlockedUntil > now ? DateTimeOffset.FromUnixTimeMilliseconds(state.BlockedUntil) : null,
                state.Coverage, [.. state.Reasons.Values.OrderByDescending(r => r.Score)]);
        }
    }

    // Mirrors EnforcementRedisScripts.Ladder step by step.
    private double Ladder(string tenant, string clientId, RiskState state, long now, string actor, string reason, bool alwaysAudit = false)
    {
        var risk = _ladder.Decay(state.Score, state.At, now);
        EnforcementLevel level;
        if (state.Pinned >= 0 && (state.PinnedUntil == 0 || state.PinnedUntil > now))
        {
            level = (EnforcementLevel)state.Pinned;
        }
        else
        {
            if (state.Pinned >= 0)
            {
                (state.Pinned, state.PinnedUntil) = (-1, 0);
                if (actor == "decay")
                {
                    (actor, reason) = ("admin", "pinned level expired");
                }
            }

            if (state.BlockedUntil > now)
            {
                level = EnforcementLevel.Block;
            }
            else
            {
                level = _ladder.LevelFor(risk, state.Level);
                if (level == EnforcementLevel.Block)
                {
                    state.BlockedUntil = now + (long)_ladder.Options.BlockDuration.TotalMilliseconds;
                }
            }
        }

        if (level != state.Level || alwaysAudit)
        {
            _audit.GetOrAdd(tenant, static (_, max) => new AuditLog(max), _ladder.Options.AuditMaxLength)
                .Add(clientId, state.Level, level, risk, actor, reason, now);
            state.Level = level;
        }

        return risk;
    }

    private sealed class RiskState
    {
        public double Score;
        public long At;
        public EnforcementLevel Level;
        public int Pinned = -1;
        public long PinnedUntil;
        public long BlockedUntil;
        public double? Coverage;
        public readonly Dictionary<string, RiskReason> Reasons = new(StringComparer.Ordinal);
    }

    private sealed class AuditLog(int maxLength)
    {
        private readonly LinkedList<AuditEntry> _entries = new();
        private long _sequence;

        public void Add(string clientId, EnforcementLevel from, EnforcementLevel to, double risk, string actor, string reason, long now)
        {
            lock (_entries)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"{now}-{++_sequence}");
                _entries.AddFirst(new AuditEntry(id, clientId, from, to, risk, actor, reason, DateTimeOffset.FromUnixTimeMilliseconds(now)));
                while (_entries.Count > maxLength)
                {
                    _entries.RemoveLast();
                }
            }
        }

        public IReadOnlyList<AuditEntry> Newest(string? clientId, int count)
        {
            lock (_entries)
            {
                return [.. _entries.Where(e => clientId is null || e.ClientId == clientId).Take(count)];
            }
        }
    }
}

/// <summary>Argument checks shared by the risk stores.</summary>
internal static class RiskSnapshotValidation
{
    /// <summary>Throws unless <paramref name="score"/> is a number in [0, 1].</summary>
    public static void CheckScore(double score)
    {
        if (!(score is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "A risk score or coverage must be a number between 0 and 1.");
        }
    }
}
