namespace GenSafety.Gateway.Detection.Sybil;

/// <summary>
/// The recently active clients of each tenant, as sybil linking reads them: when each was last seen and the source
/// network it last came from, bounded to the <see cref="SybilLinkingOptions.MaxClients"/> most recent per tenant
/// (Redis: <c>gs:{tenant}:sybil:active</c>, a sorted set by last-seen time, and <c>gs:{tenant}:sybil:networks</c>, a
/// hash; both expire after <see cref="SybilLinkingOptions.ActiveWindow"/> without activity). Failures surface as
/// <see cref="GenSafety.Gateway.State.StateStoreUnavailableException"/>.
/// </summary>
public interface ISybilActivityStore : IClientDetectionData
{
    /// <summary>Tenants this replica has recorded activity for since it started.</summary>
    IReadOnlyCollection<string> Tenants { get; }

    /// <summary>Records <paramref name="activity"/> (one round trip per tenant).</summary>
    Task RecordAsync(IReadOnlyList<ClientActivity> activity, CancellationToken cancellationToken);

    /// <summary>The at most <paramref name="max"/> clients of <paramref name="tenant"/> seen since <paramref name="since"/>, most recent first.</summary>
    Task<IReadOnlyList<ClientActivity>> ReadActiveAsync(string tenant, DateTimeOffset since, int max, CancellationToken cancellationToken);
}

/// <summary>A client's latest activity.</summary>
/// <param name="Tenant">Tenant.</param>
/// <param name="ClientId">Client.</param>
/// <param name="LastSeen">Time of its latest observed request.</param>
/// <param name="Network">Its latest source network (<see cref="SourceNetworks"/>), or null when unknown.</param>
public sealed record ClientActivity(string Tenant, string ClientId, DateTimeOffset LastSeen, string? Network);
