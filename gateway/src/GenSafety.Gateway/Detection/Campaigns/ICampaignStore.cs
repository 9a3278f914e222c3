namespace GenSafety.Gateway.Detection.Campaigns;

/// <summary>
/// Tenant-wide campaign evidence, shared by the replicas: per signature (kind, key) the clients that sent it (each with
/// the campaign risk last written to it), the settings bits seen and the request count, all expiring
/// <see cref="CampaignOptions.Window"/> after the latest request. Redis keys
/// <c>gs:{tenant}:camp:{kind}:{key}:m|s|n</c>; memory in single-replica mode. Failures surface as
/// <see cref="GenSafety.Gateway.State.StateStoreUnavailableException"/>.
/// </summary>
public interface ICampaignStore
{
    /// <summary>Adds a batch's requests of one signature and returns its totals (one round trip).</summary>
    Task<CampaignTotals> RecordAsync(string tenant, CampaignRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// The signature's members whose campaign risk written so far is below <paramref name="score"/> by more than
    /// <paramref name="tolerance"/>; they are marked as written at <paramref name="score"/> in the same step, so each
    /// rise is written once whichever replica sees it first.
    /// </summary>
    Task<IReadOnlyList<string>> ClaimAsync(string tenant, string kind, ulong key, double score, double tolerance, CancellationToken cancellationToken);
}

/// <summary>One signature's requests in a micro-batch.</summary>
/// <param name="Kind">The evidence kind (<see cref="CampaignKinds"/>).</param>
/// <param name="Key">What the clients share.</param>
/// <param name="Clients">The distinct clients that sent it.</param>
/// <param name="Settings">The distinct settings bits.</param>
/// <param name="Requests">How many requests.</param>
public sealed record CampaignRecord(string Kind, ulong Key, IReadOnlyCollection<string> Clients, IReadOnlyCollection<int> Settings, int Requests);

/// <summary>A signature's evidence so far.</summary>
/// <param name="Members">Distinct clients (at most <see cref="CampaignOptions.MaxMembers"/>).</param>
/// <param name="Settings">Distinct settings bits set.</param>
/// <param name="Requests">Requests.</param>
public readonly record struct CampaignTotals(int Members, int Settings, long Requests);
