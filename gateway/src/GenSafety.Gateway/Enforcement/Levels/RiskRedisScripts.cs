namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// Scripts of <see cref="RedisRiskStore"/>. KEYS: risk hash, audit stream. ARGV[1]: now ms; ARGV[2..11]: the ladder
/// block (<see cref="EnforcementRedisScripts.WriteLadderArgs"/>); operation arguments from ARGV[12]. Each returns
/// {level, decayed risk, flat HGETALL of the risk hash}. Admin operations are audited even when the level stays.
/// </summary>
internal static class RiskRedisScripts
{
    private const string Prelude = EnforcementRedisScripts.Ladder + "\n" + """
        local now = tonumber(ARGV[1])
        local function snapshot(level, risk)
          return {level, string.format('%.6f', risk), redis.call('HGETALL', KEYS[1])}
        end
        local function decayed()
          local s = redis.call('HMGET', KEYS[1], 'score', 'at')
          local cur, at, half = tonumber(s[1] or '0'), tonumber(s[2] or now), tonumber(ARGV[2])
          if half > 0 and now > at then cur = cur * math.pow(0.5, (now - at) / half) end
          return cur
        end
        local function admin(actor, reason)
          local before = tonumber(redis.call('HGET', KEYS[1], 'level') or '0')
          redis.call('HSET', KEYS[1], 'level', before)
          redis.call('PEXPIRE', KEYS[1], ARGV[9])
          local level, risk = ladder(KEYS[1], KEYS[2], now, 2, actor, reason)
          if level == before then audit(KEYS[2], 2, now, before, level, risk, actor, reason) end
          return snapshot(level, risk)
        end

        """;

    /// <summary>Reads the state (level changes through decay are applied and audited). No extra ARGV.</summary>
    public const string Get = Prelude + """
        local level, risk = ladder(KEYS[1], KEYS[2], now, 2, 'decay', 'risk decayed')
        return snapshot(level, risk)
        """;

    /// <summary>ARGV[12..16]: score, raise-only (0/1), source, reason, actor.</summary>
    public const string SetRisk = Prelude + """
        local score = tonumber(ARGV[12])
        if ARGV[13] == '1' then score = math.max(score, decayed()) end
        redis.call('HSET', KEYS[1], 'score', string.format('%.17g', score), 'at', now,
          'why:' .. ARGV[14], ARGV[12] .. '|' .. now .. '|' .. ARGV[15])
        redis.call('PEXPIRE', KEYS[1], ARGV[9])
        local level, risk = ladder(KEYS[1], KEYS[2], now, 2, ARGV[16], ARGV[15])
        return snapshot(level, risk)
        """;

    /// <summary>ARGV[12..15]: level (-1: clear the pin and any block), pinned-until ms (0: until cleared), actor, reason.</summary>
    public const string Pin = Prelude + """
        if tonumber(ARGV[12]) >= 0 then
          redis.call('HSET', KEYS[1], 'pinned', ARGV[12], 'pinned_until', ARGV[13])
        else
          redis.call('HDEL', KEYS[1], 'pinned', 'pinned_until')
          redis.call('HSET', KEYS[1], 'blocked_until', 0)
        end
        return admin(ARGV[14], ARGV[15])
        """;

    /// <summary>ARGV[12..13]: actor, reason.</summary>
    public const string Unblock = Prelude + """
        redis.call('HDEL', KEYS[1], 'pinned', 'pinned_until')
        redis.call('HSET', KEYS[1], 'blocked_until', 0, 'score', 0, 'at', now, 'why:admin', '0|' .. now .. '|' .. ARGV[13])
        return admin(ARGV[12], ARGV[13])
        """;
}
