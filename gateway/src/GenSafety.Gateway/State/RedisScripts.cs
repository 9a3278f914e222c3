namespace GenSafety.Gateway.State;

/// <summary>
/// Lua scripts for the multi-step updates: each runs atomically on the server in one round trip
/// (EVALSHA; StackExchange.Redis caches the SHA and falls back to EVAL after a script flush).
/// Field names match <see cref="RedisStateKeys"/>.
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS: client hash, client key set, key record, usage hash.
    /// ARGV: client id, tenant, policy, display name, created ms, key id, salt, secret hash, key created ms.
    /// Returns 1 when created, 0 when the client exists, -1 when the key id is taken.
    /// </summary>
    public const string CreateClient = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
        redis.call('DEL', KEYS[2], KEYS[4])
        redis.call('HSET', KEYS[1], 'id', ARGV[1], 'tenant', ARGV[2], 'policy', ARGV[3], 'name', ARGV[4], 'created', ARGV[5])
        redis.call('SADD', KEYS[2], ARGV[6])
        redis.call('HSET', KEYS[3], 'client', ARGV[1], 'tenant', ARGV[2], 'salt', ARGV[7], 'hash', ARGV[8], 'created', ARGV[9])
        return 1
        """;

    /// <summary>
    /// KEYS: client hash, client key set, usage hash. ARGV: key record prefix.
    /// Removes the client, every key record it owns and its usage; returns 1 when the client existed.
    /// Key records are named from the set's members, which a standalone or replicated Redis allows
    /// (Redis Cluster would need them in KEYS).
    /// </summary>
    public const string DeleteClient = """
        local existed = redis.call('EXISTS', KEYS[1])
        for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
          redis.call('DEL', ARGV[1] .. id)
        end
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
        return existed
        """;

    /// <summary>
    /// KEYS: client hash, usage hash. ARGV: input tokens, output tokens, now ms, idle TTL ms.
    /// Returns {requests, input, output} after the increment, or nil (nothing written) for an unknown client,
    /// so a request racing a delete cannot leave orphaned usage behind.
    /// </summary>
    public const string RecordUsage = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return false end
        local requests = redis.call('HINCRBY', KEYS[2], 'requests', 1)
        local input = redis.call('HINCRBY', KEYS[2], 'input_tokens', ARGV[1])
        local output = redis.call('HINCRBY', KEYS[2], 'output_tokens', ARGV[2])
        redis.call('HSET', KEYS[2], 'last_seen', ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        return {requests, input, output}
        """;

    /// <summary>
    /// KEYS: client hash. ARGV: policy. Sets the policy of an existing client (admission reads it on every request, so
    /// every replica applies it from the next request); returns the client's fields, or nil when it does not exist.
    /// </summary>
    public const string SetPolicy = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return false end
        redis.call('HSET', KEYS[1], 'policy', ARGV[1])
        return redis.call('HMGET', KEYS[1], 'id', 'tenant', 'policy', 'name', 'created')
        """;
}
