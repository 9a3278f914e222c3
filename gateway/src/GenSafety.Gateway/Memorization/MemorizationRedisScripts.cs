namespace GenSafety.Gateway.Memorization;

/// <summary>The Lua scripts of <see cref="RedisProtectedCorpusStore"/> (keys in <see cref="MemorizationRedisKeys"/>).</summary>
internal static class MemorizationRedisScripts
{
    /// <summary>KEYS: text hash, id set. ARGV: expected snapshot ('' for none), new snapshot, version, documents, ngrams, bloom chunks, attribution chunks, bytes, then the new ids. 1 when committed, 0 when the current snapshot changed meanwhile.</summary>
    public const string Commit = """
        local cur = redis.call('HGET', KEYS[1], 'snapshot') or ''
        if cur ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'snapshot', ARGV[2], 'version', ARGV[3], 'documents', ARGV[4], 'ngrams', ARGV[5],
          'bloom_chunks', ARGV[6], 'attribution_chunks', ARGV[7], 'bytes', ARGV[8])
        for i = 9, #ARGV do redis.call('SADD', KEYS[2], ARGV[i]) end
        return 1
        """;

    /// <summary>KEYS: image hash, version counter. ARGV: id, value pairs. Sets the ids not yet present; returns the version (incremented when any was set) followed by the ids set.</summary>
    public const string AddImages = """
        local added = {}
        for i = 1, #ARGV, 2 do
          if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then added[#added + 1] = ARGV[i] end
        end
        local v = redis.call('GET', KEYS[2]) or '0'
        if #added > 0 then v = redis.call('INCR', KEYS[2]) end
        table.insert(added, 1, tostring(v))
        return added
        """;
}
