using StackExchange.Redis;

namespace GenSafety.Gateway.State;

/// <summary>
/// Redis key layout (prefix <c>gs</c> by default):
/// <list type="table">
/// <item><term><c>gs:{tenant}:client:{id}</c></term><description>hash: <c>id tenant policy name created</c></description></item>
/// <item><term><c>gs:{tenant}:client:{id}:keys</c></term><description>set of the client's key ids</description></item>
/// <item><term><c>gs:{tenant}:usage:{id}</c></term><description>hash: <c>requests input_tokens output_tokens last_seen</c>; expires after the idle TTL</description></item>
/// <item><term><c>gs:key:{keyId}</c></term><description>hash: <c>client tenant salt hash created</c>; the one global index, since a key is looked up before its tenant is known</description></item>
/// </list>
/// Ids never contain ':' (see <see cref="StateIds"/>), so a tenant key has at least four segments and a key record three:
/// no name of one kind can be forged from the other. Times are Unix milliseconds.
/// </summary>
internal sealed class RedisStateKeys(string prefix)
{
    /// <summary>Fields of the client hash, in the order read back.</summary>
    public static readonly RedisValue[] ClientFields = ["id", "tenant", "policy", "name", "created"];

    /// <summary>Fields of the key record hash, in the order read back.</summary>
    public static readonly RedisValue[] ApiKeyFields = ["client", "tenant", "salt", "hash", "created"];

    /// <summary>Fields of the usage hash, in the order read back.</summary>
    public static readonly RedisValue[] UsageFields = ["requests", "input_tokens", "output_tokens", "last_seen"];

    /// <summary>Prefix of every key record; the delete script appends key ids to it.</summary>
    public string ApiKeyPrefix { get; } = prefix + ":key:";

    /// <summary>The client hash.</summary>
    public RedisKey Client(string tenant, string clientId) => $"{prefix}:{tenant}:client:{clientId}";

    /// <summary>The set of the client's key ids.</summary>
    public RedisKey ClientKeys(string tenant, string clientId) => $"{prefix}:{tenant}:client:{clientId}:keys";

    /// <summary>The client's usage hash.</summary>
    public RedisKey Usage(string tenant, string clientId) => $"{prefix}:{tenant}:usage:{clientId}";

    /// <summary>The key record.</summary>
    public RedisKey ApiKey(string keyId) => ApiKeyPrefix + keyId;
}
