using System.Globalization;

namespace GenSafety.Gateway.Detection.Campaigns;

/// <summary>
/// A signature's risk from its pooled evidence. Nothing up to the free amount (or below the kind's minimum of
/// clients); past it, <see cref="CampaignOptions.OnsetScore"/> rising linearly to the kind's maximum (1; divergence
/// <see cref="CampaignOptions.DivergenceMaxScore"/>) at the saturating amount. Evidence: sweeps — distinct (token, bias)
/// settings on the prompt; harvesting — requests on the template; coverage — B4B buckets of the broad batches; divergence — divergence prompts in the tenant.
/// </summary>
public static class CampaignScore
{
    /// <summary>The score and a reason naming the evidence (never another client), or a score of 0.</summary>
    public static (double Score, string? Reason) Of(string kind, CampaignTotals totals, CampaignOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return kind switch
        {
            CampaignKinds.Sweep when totals.Members >= options.SweepMinClients => Ramp(
                totals.Settings, options.SweepFreeSettings, options.SweepSaturatingSettings, 1, options,
                $"logit_bias probes of one prompt shared by {totals.Members} clients: {totals.Settings} distinct token/bias settings in {totals.Requests} requests"),
            CampaignKinds.Harvest when totals.Members >= options.HarvestMinClients => Ramp(
                totals.Requests, options.HarvestFreeRequests, options.HarvestSaturatingRequests, 1, options,
                $"one long template sampled hot for long outputs by {totals.Members} clients: {totals.Requests} requests"),
            CampaignKinds.Coverage when totals.Members >= options.CoverageMinClients => Ramp(
                totals.Settings, options.CoverageFreeBuckets, options.CoverageSaturatingBuckets, 1, options,
                $"broad embeddings batches from {totals.Members} clients cover {totals.Settings} of 4096 B4B buckets together ({totals.Requests} requests)"),
            CampaignKinds.Divergence => Ramp(
                totals.Requests, options.DivergenceFreePrompts, options.DivergenceSaturatingPrompts, options.DivergenceMaxScore, options,
                $"divergence-attack prompts (repeat a word forever) in this tenant: {totals.Requests} from {totals.Members} clients"),
            _ => (0, null),
        };
    }

    private static (double, string?) Ramp(long evidence, int free, int saturating, double max, CampaignOptions options, FormattableString reason)
    {
        if (evidence <= free)
        {
            return (0, null);
        }

        var share = Math.Min(1, (evidence - free) / (double)(saturating - free));
        return (options.OnsetScore + ((max - options.OnsetScore) * share), reason.ToString(CultureInfo.InvariantCulture));
    }
}
