using System.Globalization;
using StackExchange.Redis;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Redis keys of admission (prefix <c>gs</c> by default), one set per client, each with a TTL:
/// <list type="table">
/// <item><term><c>gs:{tenant}:rl:{client}:req</c></term><description>requests GCRA TAT (ms); expires when the limit is full again</description></item>
/// <item><term><c>gs:{tenant}:rl:{client}:tok</c></term><description>tokens GCRA TAT (ms); same</description></item>
/// <item><term><c>gs:{tenant}:rl:{client}:streams</c></term><description>zset reservation id → slot expiry (ms); at most MaxConcurrentStreams members; expires after the slot TTL</description></item>
/// <item><term><c>gs:{tenant}:rl:{client}:day:{yyyyMMdd}</c></term><description>tokens charged that UTC day; expires at its end</description></item>
/// <item><term><c>gs:settle:{replica}</c></term><description>sequence number of the last settlement batch a gateway process applied (one key per process, so a batch sent again after a connection failure is applied once); expires 10 minutes after its last batch</description></item>
/// </list>
/// Admission also reads the client hash and writes the usage hash of the state store (<c>RedisStateKeys</c>), and the
/// enforcement keys (<c>EnforcementRedisKeys</c>).
/// </summary>
internal sealed class AdmissionRedisKeys(string prefix)
{
    /// <summary>The four keys of the admission script, in its order.</summary>
    public RedisKey[] ForAdmission(string tenant, string clientId, DateTimeOffset now)
    {
        string root = Root(tenant, clientId);
        return [root + "req", root + "tok", root + "streams", Day(root, now)];
    }

    /// <summary>The keys of the settle script: tokens TAT, the admission day's counter, stream slots, usage hash, client hash.</summary>
    public RedisKey[] ForSettle(string tenant, string clientId, DateTimeOffset admittedAt)
    {
        string root = Root(tenant, clientId);
        return [root + "tok", Day(root, admittedAt), root + "streams", $"{prefix}:{tenant}:usage:{clientId}", Client(tenant, clientId)];
    }

    /// <summary>The batch marker of one gateway process's settlements (see <see cref="AdmissionRedisScripts.Settle"/>).</summary>
    public RedisKey SettlementMarker(string replica) => $"{prefix}:settle:{replica}";

    /// <summary>The client hash (owned by the state store; admission reads its policy).</summary>
    public RedisKey Client(string tenant, string clientId) => $"{prefix}:{tenant}:client:{clientId}";

    /// <summary>The stream slot zset.</summary>
    public RedisKey Streams(string tenant, string clientId) => Root(tenant, clientId) + "streams";

    private string Root(string tenant, string clientId) => $"{prefix}:{tenant}:rl:{clientId}:";

    private static string Day(string root, DateTimeOffset at) =>
        root + "day:" + at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
