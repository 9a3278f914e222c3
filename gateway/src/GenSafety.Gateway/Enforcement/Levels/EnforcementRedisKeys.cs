using StackExchange.Redis;

namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// Redis keys of enforcement (prefix <c>gs</c> by default):
/// <list type="table">
/// <item><term><c>gs:{tenant}:risk:{client}</c></term><description>hash of the client's risk, level, pin, block, coverage and reasons; expires after <c>StateTtl</c> idle</description></item>
/// <item><term><c>gs:{tenant}:audit</c></term><description>stream of level changes (<c>client from to risk actor reason at</c>), trimmed to about <c>AuditMaxLength</c></description></item>
/// <item><term><c>gs:{tenant}:pow:{tokenId}</c></term><description>a redeemed proof-of-work token; expires with the token</description></item>
/// </list>
/// </summary>
internal sealed class EnforcementRedisKeys(string prefix)
{
    /// <summary>The client's risk hash.</summary>
    public RedisKey Risk(string tenant, string clientId) => $"{prefix}:{tenant}:risk:{clientId}";

    /// <summary>The tenant's audit stream.</summary>
    public RedisKey Audit(string tenant) => $"{prefix}:{tenant}:audit";

    /// <summary>The replay marker of a proof-of-work token.</summary>
    public RedisKey ProofOfWork(string tenant, string tokenId) => $"{prefix}:{tenant}:pow:{tokenId}";
}
