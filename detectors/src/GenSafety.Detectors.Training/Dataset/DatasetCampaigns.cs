using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Personas;

namespace GenSafety.Detectors.Training.Dataset;

/// <summary>
/// The campaigns a dataset is made of: benign-only traffic at the personas' own pace and twenty times faster
/// (automated chat and classifier clients: think times of about a second, bursts of 10 ms), and every attack family,
/// with one key and split over keys, as published and interleaved with cover traffic. Every campaign's seed derives from the dataset seed, so a seed
/// names the dataset.
/// </summary>
internal static class DatasetCampaigns
{
    /// <summary>Think-time factor of the fast benign campaign.</summary>
    public const double FastThinkScale = 0.05;

    /// <summary>The campaigns of a dataset of <paramref name="size"/> (<c>ci</c> or <c>full</c>) from <paramref name="seed"/>.</summary>
    public static IReadOnlyList<CampaignSpec> For(string size, ulong seed)
    {
        var full = size == DatasetSizes.Full;
        var queries = full ? 6000 : 1500;
        var benignClients = full ? 120 : 40;
        var specs = new List<CampaignSpec>
        {
            new() { Scenario = CampaignSpec.BenignOnly, Queries = queries * 2, BenignClients = benignClients * 2, Seed = seed, RunId = "ds" },
            new()
            {
                Scenario = CampaignSpec.BenignOnly, Queries = queries, BenignClients = benignClients, Seed = seed + 500, RunId = "fast",
                Timing = new PersonaTiming(FastThinkScale),
            },
        };
        var variants = full ? new[] { Variants.None, Variants.Interleave, Variants.Wording } : [Variants.None, Variants.Interleave];
        var sybils = full ? new[] { 1, 10 } : [1];
        var i = 1UL;
        foreach (var family in AttackFamilies.All)
        {
            foreach (var variant in variants)
            {
                foreach (var keys in sybils)
                {
                    specs.Add(new CampaignSpec
                    {
                        Scenario = family,
                        Sybils = keys,
                        Variant = variant,
                        Mix = 0.25,
                        Queries = queries,
                        BenignClients = benignClients,
                        Seed = seed + (i++ * 1000),
                        RunId = "ds",
                    });
                }
            }
        }

        return specs;
    }
}

/// <summary>Dataset sizes.</summary>
internal static class DatasetSizes
{
    /// <summary>Small enough for CI (about a minute to build).</summary>
    public const string Ci = "ci";

    /// <summary>The evaluation's dataset.</summary>
    public const string Full = "full";

    /// <summary>Both.</summary>
    public static IReadOnlyList<string> All { get; } = [Ci, Full];
}
