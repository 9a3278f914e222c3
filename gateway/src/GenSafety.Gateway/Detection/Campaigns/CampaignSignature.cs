namespace GenSafety.Gateway.Detection.Campaigns;

/// <summary>
/// One request's share of a tenant-wide campaign: which kind of evidence (<see cref="CampaignKinds"/>), the shared
/// thing it is about (<paramref name="Key"/>: a prompt's hash, a template's, or 0 for the tenant), and the settings it
/// tried (bits of <see cref="CampaignSignatures.SettingBits"/>: hashed (token, bias) pairs, repeat words).
/// </summary>
/// <param name="Kind">The evidence kind.</param>
/// <param name="Key">What the clients share.</param>
/// <param name="Settings">The request's setting bits (may be empty).</param>
public sealed record CampaignSignature(string Kind, ulong Key, IReadOnlyList<int> Settings);

/// <summary>The kinds of campaign evidence.</summary>
public static class CampaignKinds
{
    /// <summary>Logit-bias probes of one prompt (Carlini et al. 2024, A1/A2): distinct (token, bias) settings pooled over clients.</summary>
    public const string Sweep = "sweep";

    /// <summary>Self-instruct harvesting of one long template at high temperature and output length (A3).</summary>
    public const string Harvest = "harvest";

    /// <summary>
    /// Broad embeddings batches (encoder stealing, A4; B4B's coverage): the tenant's broad batches pooled, their B4B
    /// buckets as settings, one signature per tenant.
    /// </summary>
    public const string Coverage = "coverage";

    /// <summary>Divergence-attack prompts (Nasr et al. 2023, A5), one signature per tenant.</summary>
    public const string Divergence = "divergence";
}
