namespace GenSafety.Gateway.Detection.Campaigns;

/// <summary>
/// Settings of campaign signatures, bound from <c>GenSafety:Detection:Campaigns</c>: tenant-wide evidence pooled
/// across clients, so that an attack split over many keys is seen whole. See docs/detection.md, "Campaign signatures".
/// </summary>
public sealed class CampaignOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = DetectionOptions.SectionName + ":Campaigns";

    /// <summary>Source and actor of the risk a campaign signature writes.</summary>
    public const string Source = "campaign";

    /// <summary>Whether campaign signatures are tracked. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A signature's evidence lives this long after its latest request, 1 minute to 1 day. Default 1 hour.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Clients remembered per signature (and given its risk), 2 to 10,000. Default 1,000.</summary>
    public int MaxMembers { get; set; } = 1000;

    /// <summary>A <c>logit_bias</c> entry at least this large in magnitude makes a request a probe. Default 50.</summary>
    public double ExtremeBias { get; set; } = 50;

    /// <summary>A biased request asking for at most this many tokens is a probe. Default 2.</summary>
    public int ProbeMaxTokens { get; set; } = 2;

    /// <summary>Distinct (token, bias) settings on one prompt, all clients together, that are still free. Default 8.</summary>
    public int SweepFreeSettings { get; set; } = 8;

    /// <summary>Distinct (token, bias) settings on one prompt at which the sweep score reaches 1. Default 32.</summary>
    public int SweepSaturatingSettings { get; set; } = 32;

    /// <summary>Clients a swept prompt needs before it is a campaign (one client alone is <c>api-surface</c>'s). Default 2.</summary>
    public int SweepMinClients { get; set; } = 2;

    /// <summary>A harvesting request's prompt is at least this long (characters). Default 400.</summary>
    public int HarvestMinPromptCharacters { get; set; } = 400;

    /// <summary>A harvesting request asks for at least this many tokens. Default 1024.</summary>
    public int HarvestMinMaxTokens { get; set; } = 1024;

    /// <summary>A harvesting request samples at least this hot (an absent temperature counts as 1). Default 0.9.</summary>
    public double HarvestMinTemperature { get; set; } = 0.9;

    /// <summary>Harvesting requests on one template, all clients together, that are still free. Default 4.</summary>
    public int HarvestFreeRequests { get; set; } = 4;

    /// <summary>Harvesting requests on one template at which the harvest score reaches 1. Default 16.</summary>
    public int HarvestSaturatingRequests { get; set; } = 16;

    /// <summary>Clients a harvested template needs before it is a campaign. Default 2.</summary>
    public int HarvestMinClients { get; set; } = 2;

    /// <summary>Divergence-attack prompts in the tenant, all clients together, that are still free. Default 1.</summary>
    public int DivergenceFreePrompts { get; set; } = 1;

    /// <summary>Divergence-attack prompts at which the divergence score reaches <see cref="DivergenceMaxScore"/>. Default 6.</summary>
    public int DivergenceSaturatingPrompts { get; set; } = 6;

    /// <summary>
    /// Highest risk the divergence signature writes, (0.5, 1]. Default 0.75 (L3): the prompt is the published attack,
    /// but it is one prompt shape shared by a whole tenant, so it challenges rather than blocks.
    /// </summary>
    public double DivergenceMaxScore { get; set; } = 0.75;

    /// <summary>An embeddings request with at least this many inputs may be a broad batch. Default 4.</summary>
    public int CoverageMinBatch { get; set; } = 4;

    /// <summary>
    /// A batch whose returned vectors' mean pairwise cosine is below this is broad (texts from all over the space),
    /// [-1, 1]. Default 0.15: MiniLM gives ≈ 0.04 for eight sentences on eight topics, ≈ 0.13 for word salad, 0.26–0.37
    /// for eight questions on one topic.
    /// </summary>
    public double CoverageMaxMeanCosine { get; set; } = 0.15;

    /// <summary>
    /// B4B buckets (of 4,096 in the first projection) that the tenant's broad batches, all clients together, may cover
    /// for free. Default 410: the 10 % one client may cover (<c>b4b-coverage</c>'s <c>EmbeddingFreeCoverage</c>).
    /// </summary>
    public int CoverageFreeBuckets { get; set; } = 410;

    /// <summary>Pooled buckets at which the coverage score reaches 1. Default 2048 (50 %).</summary>
    public int CoverageSaturatingBuckets { get; set; } = 2048;

    /// <summary>Clients the pooled coverage needs (one client alone is <c>b4b-coverage</c>'s). Default 2.</summary>
    public int CoverageMinClients { get; set; } = 2;

    /// <summary>Seed of the B4B projection the buckets come from; the same on every replica. Default 42.</summary>
    public long CoverageSeed { get; set; } = 42;

    /// <summary>Risk a signature writes when its evidence just passes the free amount, [0.3, 1]. Default 0.55 (L2).</summary>
    public double OnsetScore { get; set; } = 0.55;
}
