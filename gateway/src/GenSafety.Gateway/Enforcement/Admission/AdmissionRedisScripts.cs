using GenSafety.Gateway.Enforcement.Levels;

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
    /// KEYS: requests TAT, tokens TAT, stream slot zset, daily counter, client hash, risk hash, audit stream,
    /// proof-of-work replay key.
    /// ARGV: now ms, requests/min, tokens/min, max streams, daily quota, tokens to charge, is stream (0/1),
    /// reservation id, slot TTL ms, ms until the day ends, policy name, proof-of-work level mask, block level mask,
    /// proof status (0 none, 1 valid, 2 invalid), proof expiry ms, then the ladder's block
    /// (<see cref="EnforcementRedisScripts.Ladder"/>) from index 16.
    /// In order: the client must still exist (code 9) under the same policy (code 8, with the stored policy);
    /// the ladder gives its level; a level that blocks refuses (code 5); the limits are checked; a level that
    /// needs proof-of-work refuses without a valid, unused proof (codes 6, 7); only then is anything charged.
    /// Returns {admitted, code, retry-after ms, requests remaining, requests reset ms, tokens remaining,
    /// tokens reset ms, daily remaining (-1: no quota), level, risk, coverage ('' if none), stored policy}.
    /// </summary>
    public const string Admit = EnforcementRedisScripts.Ladder + "\n" + """
        local now = tonumber(ARGV[1])
        local policy = redis.call('HGET', KEYS[5], 'policy')
        if not policy then return {0, 9, 0, 0, 0, 0, 0, -1, 0, '0', '', ''} end
        if policy ~= ARGV[11] then return {0, 8, 0, 0, 0, 0, 0, -1, 0, '0', '', policy} end
        local level, risk, buntil, coverage = ladder(KEYS[6], KEYS[7], now, 16, 'decay', 'risk decayed')
        local bit = 2 ^ level
        local function reply(admitted, code, retry, rrem, rreset, trem, treset, drem)
          return {admitted, code, math.ceil(retry), rrem, math.ceil(rreset), trem, math.ceil(treset), drem,
            level, string.format('%.6f', risk), coverage or '', policy}
        end
        if math.floor(tonumber(ARGV[13]) / bit) % 2 == 1 then
          return reply(0, 5, math.max(buntil - now, 0), 0, 0, 0, 0, -1)
        end
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
        if code == 0 and math.floor(tonumber(ARGV[12]) / bit) % 2 == 1 then
          if ARGV[14] == '0' then
            code = 6
          elseif ARGV[14] ~= '1' or not redis.call('SET', KEYS[8], 1, 'NX', 'PXAT', ARGV[15]) then
            code = 7
          end
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
        return reply(admitted, code, retry, rrem, rreset, trem, treset, drem)
        """;

    /// <summary>Keys per settlement in <see cref="Settle"/>.</summary>
    public const int SettleKeyCount = 5;

    /// <summary>Arguments per settlement in <see cref="Settle"/>.</summary>
    public const int SettleArgCount = 9;

    /// <summary>
    /// Settles one or more admitted requests in one call, after their responses. KEYS[1] is the sending replica's batch
    /// marker, ARGV[1] the batch's sequence number (increasing per replica), ARGV[2] the marker's TTL ms: a batch at or
    /// below the marker was applied already and is skipped (returns -1), so a batch sent again after a connection
    /// failure is applied once. Per settlement i (0-based), KEYS from 5i+2: tokens TAT, daily counter, stream slot zset,
    /// usage hash, client hash; ARGV from 9i+3: now ms, tokens/min
    /// (0: none), tokens to return (negative: to charge), daily quota (0: none), ms until the admission day ends,
    /// stream slot id ('' for none), input tokens and output tokens to add to usage (-1: do not record usage), usage
    /// idle TTL ms.
    /// A refund never makes the TAT earlier than now (the limit cannot go above full); an expired key is not
    /// recreated for a refund, and the daily counter is only touched while its day lasts. Usage is recorded only
    /// for a client that still exists, so a request racing a delete leaves nothing behind. Returns the count settled.
    /// </summary>
    public const string Settle = """
        local seq = tonumber(ARGV[1])
        if tonumber(redis.call('GET', KEYS[1]) or '-1') >= seq then return -1 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        local n = (#KEYS - 1) / 5
        for i = 0, n - 1 do
          local k, a = 1 + i * 5, 2 + i * 9
          local now, tpm, delta = tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
          if delta ~= 0 and tpm > 0 then
            local tat = tonumber(redis.call('GET', KEYS[k + 1]) or '0')
            if tat > now or delta < 0 then
              tat = math.max(tat, now) - delta * 60000 / tpm
              if tat > now then
                redis.call('SET', KEYS[k + 1], string.format('%.17g', tat), 'PX', math.ceil(tat - now) + 1)
              else
                redis.call('DEL', KEYS[k + 1])
              end
            end
          end
          if delta ~= 0 and tonumber(ARGV[a + 4]) > 0 and tonumber(ARGV[a + 5]) > 0 then
            local used = tonumber(redis.call('GET', KEYS[k + 2]) or '0')
            if used > 0 or delta < 0 then
              used = math.max(used - delta, 0)
              redis.call('SET', KEYS[k + 2], used, 'PX', ARGV[a + 5])
            end
          end
          if ARGV[a + 6] ~= '' then redis.call('ZREM', KEYS[k + 3], ARGV[a + 6]) end
          if tonumber(ARGV[a + 7]) >= 0 and redis.call('EXISTS', KEYS[k + 5]) == 1 then
            redis.call('HINCRBY', KEYS[k + 4], 'requests', 1)
            redis.call('HINCRBY', KEYS[k + 4], 'input_tokens', ARGV[a + 7])
            redis.call('HINCRBY', KEYS[k + 4], 'output_tokens', ARGV[a + 8])
            redis.call('HSET', KEYS[k + 4], 'last_seen', ARGV[a + 1])
            redis.call('PEXPIRE', KEYS[k + 4], ARGV[a + 9])
          end
        end
        return n
        """;
}
