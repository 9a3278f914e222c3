using StackExchange.Redis;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Redis layout of the provenance ledger (prefix <c>gs</c> by default). Gateway-wide rather than per tenant: a
/// verifier holds a text, not the tenant that produced it.
/// <list type="table">
/// <item><term><c>gs:prov:rec:{recordId}</c></term><description>hash: <c>t</c> tenant, <c>s</c> scheme, <c>k</c> kid, <c>q</c> request id, <c>m</c> model, <c>c</c> created (Unix ms), <c>h</c> output SHA-256, <c>g</c> MinHash sketch (128 × 8 bytes, little-endian; empty for images), <c>p</c> PDQ hash (64 hex digits; empty for texts)</description></item>
/// <item><term><c>gs:prov:hash:{sha256}</c></term><description>sorted set of record ids scored by creation time, newest <see cref="MaxIndexEntries"/> kept</description></item>
/// <item><term><c>gs:prov:band:{band}:{hash}</c></term><description>the same per LSH band key (<see cref="LedgerBands.Count"/> per text record)</description></item>
/// <item><term><c>gs:prov:pdq:{band}:{bits}</c></term><description>the same per PDQ band key (<see cref="ImageLedgerBands.Count"/> per image record)</description></item>
/// </list>
/// Every key expires after the ledger retention, renewed when a record is added to an index. Indexes are trimmed by
/// one record in <see cref="RedisProvenanceLedger.TrimOneIn"/>, so one may briefly hold a few more ids than the bound.
/// </summary>
internal sealed class ProvenanceRedisKeys(string prefix)
{
    /// <summary>Most record ids one index key keeps (the newest); bounds a popular output's index.</summary>
    public const int MaxIndexEntries = 64;

    /// <summary>The record hash.</summary>
    public RedisKey Record(string recordId) => $"{prefix}:prov:rec:{recordId}";

    /// <summary>The exact-hash index.</summary>
    public RedisKey Hash(string outputSha256) => $"{prefix}:prov:hash:{outputSha256}";

    /// <summary>One LSH band index.</summary>
    public RedisKey Band(string band) => $"{prefix}:prov:band:{band}";

    /// <summary>One PDQ band index (<see cref="ImageLedgerBands"/>).</summary>
    public RedisKey ImageBand(string band) => $"{prefix}:prov:pdq:{band}";
}
