using System.Globalization;
using GenSafety.Gateway.State;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// <see cref="IRiskStore"/> on Redis, shared by every replica: each operation is one script
/// (<see cref="RiskRedisScripts"/>) over the client's risk hash and the tenant's audit stream.
/// Every Redis failure surfaces as <see cref="StateStoreUnavailableException"/>.
/// </summary>
public sealed class RedisRiskStore : IRiskStore
{
    private readonly IConnectionMultiplexer _connection;
    private readonly EnforcementRedisKeys _keys;
    private readonly EnforcementOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over the process's shared connection.</summary>
    public RedisRiskStore(IConnectionMultiplexer connection, IOptions<StateStoreOptions> stateOptions, IOptions<EnforcementOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(stateOptions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _connection = connection;
        _keys = new EnforcementRedisKeys(stateOptions.Value.KeyPrefix);
        _options = options.Value;
        _time = time;
    }

    /// <inheritdoc />
    public ValueTask<RiskSnapshot> GetAsync(string tenant, string clientId, CancellationToken cancellationToken)
        => RunAsync(RiskRedisScripts.Get, tenant, clientId, [], cancellationToken);

    /// <inheritdoc />
    public ValueTask<RiskSnapshot> SetRiskAsync(string tenant, string clientId, RiskUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        RiskSnapshotValidation.CheckScore(update.Score);
        return RunAsync(RiskRedisScripts.SetRisk, tenant, clientId,
            [update.Score, update.RaiseOnly ? 1 : 0, update.Source, update.Reason, update.Actor], cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<RiskSnapshot> PinLevelAsync(
        string tenant, string clientId, EnforcementLevel? level, TimeSpan? duration, string actor, string reason, CancellationToken cancellationToken)
    {
        long until = level is not null && duration is { } d ? _time.GetUtcNow().ToUnixTimeMilliseconds() + (long)d.TotalMilliseconds : 0;
        return RunAsync(RiskRedisScripts.Pin, tenant, clientId, [level is { } l ? (int)l : -1, until, actor, reason], cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<RiskSnapshot> UnblockAsync(string tenant, string clientId, string actor, string reason, CancellationToken cancellationToken)
        => RunAsync(RiskRedisScripts.Unblock, tenant, clientId, [actor, reason], cancellationToken);

    /// <inheritdoc />
    public async ValueTask SetCoverageAsync(string tenant, string clientId, double coverage, CancellationToken cancellationToken)
    {
        RiskSnapshotValidation.CheckScore(coverage);
        RedisKey key = Key(tenant, clientId);
        await ExecuteAsync(db => db.HashSetAsync(key, "coverage", coverage.ToString("R", CultureInfo.InvariantCulture)), cancellationToken);
        await ExecuteAsync(db => db.KeyExpireAsync(key, _options.StateTtl), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AuditEntry>> ReadAuditAsync(string tenant, string? clientId, int count, CancellationToken cancellationToken)
    {
        StateIds.Validate(tenant, nameof(tenant));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        RedisKey key = _keys.Audit(tenant);
        var entries = new List<AuditEntry>(Math.Min(count, 1000));
        RedisValue before = "+";
        // A client filter reads pages until enough entries match; the stream is bounded, so is the scan.
        while (entries.Count < count)
        {
            RedisValue from = before;
            StreamEntry[] page = await ExecuteAsync(db => db.StreamRangeAsync(key, "-", from, count: 500, messageOrder: Order.Descending), cancellationToken);
            foreach (StreamEntry entry in page)
            {
                if (entry.Id == before)
                {
                    continue;
                }

                AuditEntry parsed = ParseAudit(entry);
                if (clientId is null || parsed.ClientId == clientId)
                {
                    entries.Add(parsed);
                    if (entries.Count == count)
                    {
                        break;
                    }
                }
            }

            if (page.Length < 500)
            {
                break;
            }

            before = page[^1].Id;
        }

        return entries;
    }

    /// <inheritdoc />
    public async ValueTask DeleteAsync(string tenant, string clientId, CancellationToken cancellationToken)
    {
        RedisKey key = Key(tenant, clientId);
        await ExecuteAsync(db => db.KeyDeleteAsync(key), cancellationToken);
    }

    private RedisKey Key(string tenant, string clientId)
    {
        StateIds.Validate(tenant, nameof(tenant));
        StateIds.Validate(clientId, nameof(clientId));
        return _keys.Risk(tenant, clientId);
    }

    private async ValueTask<RiskSnapshot> RunAsync(string script, string tenant, string clientId, RedisValue[] operation, CancellationToken cancellationToken)
    {
        RedisKey[] keys = [Key(tenant, clientId), _keys.Audit(tenant)];
        var args = new RedisValue[1 + EnforcementRedisScripts.LadderArgCount + operation.Length];
        args[0] = _time.GetUtcNow().ToUnixTimeMilliseconds();
        EnforcementRedisScripts.WriteLadderArgs(args, 1, _options, clientId);
        operation.CopyTo(args, 1 + EnforcementRedisScripts.LadderArgCount);
        RedisResult result = await ExecuteAsync(db => db.ScriptEvaluateAsync(script, keys, args), cancellationToken);
        return Parse((RedisResult[])result!);
    }

    private RiskSnapshot Parse(RedisResult[] result)
    {
        var level = (EnforcementLevel)(long)result[0];
        double risk = double.Parse((string)result[1]!, CultureInfo.InvariantCulture);
        var fields = (RedisResult[])result[2]!;
        var hash = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            hash[(string)fields[i]!] = (string)fields[i + 1]!;
        }

        long Long(string name) => hash.TryGetValue(name, out string? v) && long.TryParse(v, CultureInfo.InvariantCulture, out long n) ? n : 0;
        long pinned = hash.ContainsKey("pinned") ? Long("pinned") : -1;
        long pinnedUntil = Long("pinned_until");
        long blockedUntil = Long("blocked_until");
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var reasons = new List<RiskReason>();
        foreach ((string name, string value) in hash)
        {
            if (name.StartsWith("why:", StringComparison.Ordinal) && value.Split('|', 3) is [var score, var at, var reason])
            {
                reasons.Add(new RiskReason(name[4..], double.Parse(score, CultureInfo.InvariantCulture), reason,
                    DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(at, CultureInfo.InvariantCulture))));
            }
        }

        return new RiskSnapshot(
            risk, level, pinned >= 0 ? (EnforcementLevel)pinned : null,
            pinned >= 0 && pinnedUntil > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(pinnedUntil) : null,
            blockedUntil > now ? DateTimeOffset.FromUnixTimeMilliseconds(blockedUntil) : null,
            hash.TryGetValue("coverage", out string? c) ? double.Parse(c, CultureInfo.InvariantCulture) : null,
            [.. reasons.OrderByDescending(r => r.Score)]);
    }

    private static AuditEntry ParseAudit(StreamEntry entry)
    {
        string Field(string name) => (string?)entry[name] ?? string.Empty;
        static EnforcementLevel Level(string v) => int.TryParse(v, CultureInfo.InvariantCulture, out int l) && l is >= 0 and <= 4 ? (EnforcementLevel)l : EnforcementLevel.Allow;
        return new AuditEntry(
            (string)entry.Id!, Field("client"), Level(Field("from")), Level(Field("to")),
            double.TryParse(Field("risk"), CultureInfo.InvariantCulture, out double risk) ? risk : 0,
            Field("actor"), Field("reason"),
            DateTimeOffset.FromUnixTimeMilliseconds(long.TryParse(Field("at"), CultureInfo.InvariantCulture, out long at) ? at : 0));
    }

    private async Task<T> ExecuteAsync<T>(Func<IDatabase, Task<T>> command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await command(_connection.GetDatabase()).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            throw new StateStoreUnavailableException("The Redis risk store failed.", ex);
        }
    }
}
