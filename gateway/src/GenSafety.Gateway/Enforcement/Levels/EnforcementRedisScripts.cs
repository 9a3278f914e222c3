using StackExchange.Redis;

namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// Lua of the enforcement ladder, shared by the admission script and the risk scripts so every path computes a
/// level the same way (mirrors <see cref="RiskLadder"/>). Risk state lives in one hash per client
/// (<see cref="EnforcementRedisKeys"/>): <c>score</c> and <c>at</c> (risk and when it was written), <c>level</c>,
/// <c>pinned</c>/<c>pinned_until</c> (an admin's level), <c>blocked_until</c>, <c>coverage</c> and
/// <c>why:{source}</c> = <c>score|at|reason</c> per signal source. A level change is appended to the tenant's audit stream.
/// </summary>
internal static class EnforcementRedisScripts
{
    /// <summary>Number of ARGV entries the ladder reads, starting at its base index.</summary>
    public const int LadderArgCount = 10;

    /// <summary>
    /// Defines <c>ladder(rkey, akey, now, b, actor, reason)</c>. ARGV[b..b+9]: half-life ms, four thresholds,
    /// hysteresis, block ms, state TTL ms, audit max length, client id. Returns level, decayed risk, blocked-until ms,
    /// coverage (string or false). Cheap when the client has no risk state: one HMGET.
    /// </summary>
    public const string Ladder = """
        local function levelfor(risk, current, b)
          local up = 0
          for k = 1, 4 do if risk >= tonumber(ARGV[b + k]) then up = k end end
          if up >= current then return up end
          local down, hyst = 0, tonumber(ARGV[b + 5])
          for k = 1, current do if risk >= tonumber(ARGV[b + k]) - hyst then down = k end end
          return down
        end
        local function audit(akey, b, now, from, to, risk, actor, reason)
          redis.call('XADD', akey, 'MAXLEN', '~', ARGV[b + 8], '*', 'client', ARGV[b + 9], 'from', from, 'to', to,
            'risk', string.format('%.4f', risk), 'actor', actor, 'reason', reason, 'at', now)
        end
        local function ladder(rkey, akey, now, b, actor, reason)
          local s = redis.call('HMGET', rkey, 'score', 'at', 'level', 'pinned', 'pinned_until', 'blocked_until', 'coverage')
          if not s[1] and not s[3] and not s[4] and not s[6] then return 0, 0, 0, s[7] end
          local score, at = tonumber(s[1] or '0'), tonumber(s[2] or now)
          local level, pinned = tonumber(s[3] or '0'), tonumber(s[4] or '-1')
          local puntil, buntil = tonumber(s[5] or '0'), tonumber(s[6] or '0')
          local half = tonumber(ARGV[b])
          local risk = score
          if half > 0 and now > at then risk = score * math.pow(0.5, (now - at) / half) end
          local new
          if pinned >= 0 and (puntil == 0 or puntil > now) then
            new = pinned
          else
            if pinned >= 0 then
              redis.call('HDEL', rkey, 'pinned', 'pinned_until')
              if actor == 'decay' then actor, reason = 'admin', 'pinned level expired' end
            end
            if buntil > now then
              new = 4
            else
              new = levelfor(risk, level, b)
              if new == 4 then
                buntil = now + tonumber(ARGV[b + 6])
                redis.call('HSET', rkey, 'blocked_until', buntil)
              end
            end
          end
          if new ~= level then
            redis.call('HSET', rkey, 'level', new)
            redis.call('PEXPIRE', rkey, ARGV[b + 7])
            audit(akey, b, now, level, new, risk, actor, reason)
          end
          return new, risk, buntil, s[7]
        end
        """;

    /// <summary>Writes the ladder's ARGV block for <paramref name="clientId"/> at <paramref name="offset"/> (0-based).</summary>
    public static void WriteLadderArgs(RedisValue[] args, int offset, EnforcementOptions options, string clientId)
    {
        args[offset] = (long)options.HalfLife.TotalMilliseconds;
        args[offset + 1] = options.DelayThreshold;
        args[offset + 2] = options.DegradeThreshold;
        args[offset + 3] = options.ProofOfWorkThreshold;
        args[offset + 4] = options.BlockThreshold;
        args[offset + 5] = options.Hysteresis;
        args[offset + 6] = (long)options.BlockDuration.TotalMilliseconds;
        args[offset + 7] = (long)options.StateTtl.TotalMilliseconds;
        args[offset + 8] = options.AuditMaxLength;
        args[offset + 9] = clientId;
    }
}
