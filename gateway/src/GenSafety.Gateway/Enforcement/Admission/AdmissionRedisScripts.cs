namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Lua scripts of admission; each is one EVALSHA, atomic on the server. Times are the caller's Unix
/// milliseconds (never the server's), TTLs are relative so a caller clock ahead of or behind the server's
/// still expires keys correctly. Limits of 0 are skipped. GCRA state ("theoretical arrival time", TAT) is
/// stored with 17 significant digits so that it round-trips exactly.
/// </summary>
internal static class AdmissionRedisScripts
{
    /// <summary>
    /// KEYS: requests TAT, tokens TAT, stream slot zset, daily counter.
    /// ARGV: now ms, requests/min, tokens/min, max streams, daily quota, tokens to charge, is stream (0/1),
    /// reservation id, slot TTL ms, ms until the day ends.
    /// Returns {admitted, limit code, retry-after ms, requests remaining, requests reset ms,
    /// tokens remaining, tokens reset ms, daily remaining (-1: no quota)}.
    /// </summary>
    public const string Admit = """
        local now = tonumber(ARGV[1])
        local rpm, tpm = tonumber(ARGV[2]), tonumber(ARGV[3])
        local maxs, quota = tonumber(ARGV[4]), tonumber(ARGV[5])
        local cost = tonumber(ARGV[6])
        local period = 60000
        local code, retry = 0, 0
        local function fail(c, ms)
          if code == 0 or ms > retry then code, retry = c, ms end
        end
        local rtat, rnew, ttat, tnew = now, now, now, now
        if rpm > 0 then
          rtat = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
          rnew = rtat + period / rpm
          if rnew - now > period then fail(1, rnew - period - now) end
        end
        if tpm > 0 then
          ttat = math.max(tonumber(redis.call('GET', KEYS[2]) or '0'), now)
          tnew = ttat + cost * period / tpm
          if tnew - now > period then
            if cost > tpm then fail(2, period) else fail(2, tnew - period - now) end
          end
        end
        local isstream = ARGV[7] == '1' and maxs > 0
        if isstream then
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
          if redis.call('ZCARD', KEYS[3]) >= maxs then
            local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
            fail(3, math.max(tonumber(first[2]) - now, 1))
          end
        end
        local used = 0
        if quota > 0 then
          used = tonumber(redis.call('GET', KEYS[4]) or '0')
          if used + cost > quota then fail(4, tonumber(ARGV[10])) end
        end
        local admitted = 0
        if code == 0 then
          admitted = 1
          if rpm > 0 then
            rtat = rnew
            redis.call('SET', KEYS[1], string.format('%.17g', rnew), 'PX', math.ceil(rnew - now) + 1)
          end
          if tpm > 0 and cost > 0 then
            ttat = tnew
            redis.call('SET', KEYS[2], string.format('%.17g', tnew), 'PX', math.ceil(tnew - now) + 1)
          end
          if isstream then
            local ttl = tonumber(ARGV[9])
            redis.call('ZADD', KEYS[3], now + ttl, ARGV[8])
            redis.call('PEXPIRE', KEYS[3], ttl)
          end
          if quota > 0 and cost > 0 then
            used = redis.call('INCRBY', KEYS[4], cost)
            redis.call('PEXPIRE', KEYS[4], ARGV[10])
          end
        end
        local rrem, rreset, trem, treset, drem = 0, 0, 0, 0, -1
        if rpm > 0 then
          rreset = rtat - now
          rrem = math.max(math.floor((period - rreset) * rpm / period + 1e-9), 0)
        end
        if tpm > 0 then
          treset = ttat - now
          trem = math.max(math.floor((period - treset) * tpm / period + 1e-9), 0)
        end
        if quota > 0 then drem = math.max(quota - used, 0) end
        return {admitted, code, math.ceil(retry), rrem, math.ceil(rreset), trem, math.ceil(treset), drem}
        """;

    /// <summary>
    /// KEYS: tokens TAT, daily counter. ARGV: now ms, tokens/min (0: none), tokens to return (negative: to
    /// charge), daily quota (0: none), ms until the admission day ends.
    /// A refund never makes the TAT earlier than now (the limit cannot go above full); an expired key is
    /// not recreated for a refund, and the daily counter is only touched while its day lasts.
    /// </summary>
    public const string Reconcile = """
        local now, tpm, delta = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        if tpm > 0 then
          local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
          if tat > now or delta < 0 then
            tat = math.max(tat, now) - delta * 60000 / tpm
            if tat > now then
              redis.call('SET', KEYS[1], string.format('%.17g', tat), 'PX', math.ceil(tat - now) + 1)
            else
              redis.call('DEL', KEYS[1])
            end
          end
        end
        if tonumber(ARGV[4]) > 0 and tonumber(ARGV[5]) > 0 then
          local used = tonumber(redis.call('GET', KEYS[2]) or '0')
          if used > 0 or delta < 0 then
            used = math.max(used - delta, 0)
            redis.call('SET', KEYS[2], used, 'PX', ARGV[5])
          end
        end
        return delta
        """;
}
