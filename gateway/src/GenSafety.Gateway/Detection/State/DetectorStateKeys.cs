using StackExchange.Redis;

namespace GenSafety.Gateway.Detection.State;

/// <summary>
/// Redis keys of detector state (prefix <c>gs</c> by default): <c>gs:{tenant}:det:{client}:{detector}</c>, a string
/// expiring after <c>GenSafety:Detection:StateTtl</c> without writes. <see cref="DetectorStateMode.Replace"/> states
/// start with a 4-byte little-endian version; <see cref="DetectorStateMode.BitwiseOr"/> states are the raw bitmap
/// (so <c>GETBIT</c>/<c>BITCOUNT</c> work on them). Tenant and client ids never contain ':'.
/// </summary>
internal sealed class DetectorStateKeys(string prefix)
{
    /// <summary>The state key.</summary>
    public RedisKey State(DetectorStateKey key) => $"{prefix}:{key.Tenant}:det:{key.ClientId}:{key.Detector}";

    /// <summary>A scratch key the write script uses (and deletes) while OR-ing a bitmap.</summary>
    public RedisKey Scratch(DetectorStateKey key) => $"{prefix}:{key.Tenant}:det:{key.ClientId}:{key.Detector}:or";
}
