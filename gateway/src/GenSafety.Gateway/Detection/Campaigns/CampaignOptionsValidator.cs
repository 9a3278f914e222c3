using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Campaigns;

/// <summary>Checks <see cref="CampaignOptions"/> at start-up and reports every problem at once.</summary>
public sealed class CampaignOptionsValidator : IValidateOptions<CampaignOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CampaignOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        Check(options.Window >= TimeSpan.FromMinutes(1) && options.Window <= TimeSpan.FromDays(1), "Window must be between 1 minute and 1 day.");
        Check(options.MaxMembers is >= 2 and <= 10_000, "MaxMembers must be between 2 and 10000.");
        Check(options.ExtremeBias is > 0 and <= 100, "ExtremeBias must be above 0 and at most 100.");
        Check(options.ProbeMaxTokens is >= 1 and <= 64, "ProbeMaxTokens must be between 1 and 64.");
        Check(options.SweepFreeSettings >= 0 && options.SweepSaturatingSettings > options.SweepFreeSettings && options.SweepSaturatingSettings <= 4096,
            "SweepFreeSettings must be at least 0 and below SweepSaturatingSettings, which is at most 4096.");
        Check(options.SweepMinClients is >= 1 and <= 1000, "SweepMinClients must be between 1 and 1000.");
        Check(options.HarvestMinPromptCharacters is >= 1 and <= 100_000, "HarvestMinPromptCharacters must be between 1 and 100000.");
        Check(options.HarvestMinMaxTokens >= 1, "HarvestMinMaxTokens must be at least 1.");
        Check(options.HarvestMinTemperature is >= 0 and <= 2, "HarvestMinTemperature must lie in [0, 2].");
        Check(options.HarvestFreeRequests >= 0 && options.HarvestSaturatingRequests > options.HarvestFreeRequests,
            "HarvestFreeRequests must be at least 0 and below HarvestSaturatingRequests.");
        Check(options.HarvestMinClients is >= 1 and <= 1000, "HarvestMinClients must be between 1 and 1000.");
        Check(options.DivergenceFreePrompts >= 0 && options.DivergenceSaturatingPrompts > options.DivergenceFreePrompts,
            "DivergenceFreePrompts must be at least 0 and below DivergenceSaturatingPrompts.");
        Check(options.CoverageMinBatch is >= 2 and <= 2048, "CoverageMinBatch must be between 2 and 2048.");
        Check(options.CoverageMaxMeanCosine is >= -1 and <= 1, "CoverageMaxMeanCosine must lie in [-1, 1].");
        Check(options.CoverageFreeBuckets >= 0 && options.CoverageSaturatingBuckets > options.CoverageFreeBuckets && options.CoverageSaturatingBuckets <= 4096,
            "CoverageFreeBuckets must be at least 0 and below CoverageSaturatingBuckets, which is at most 4096.");
        Check(options.CoverageMinClients is >= 1 and <= 1000, "CoverageMinClients must be between 1 and 1000.");
        Check(options.DivergenceMaxScore is > 0.5 and <= 1, "DivergenceMaxScore must be above 0.5 and at most 1.");
        Check(options.OnsetScore is >= 0.3 and <= 1 && options.OnsetScore <= options.DivergenceMaxScore, "OnsetScore must lie in [0.3, 1] and not exceed DivergenceMaxScore.");
        return errors.Build();

        void Check(bool valid, string message)
        {
            if (!valid)
            {
                errors.AddError($"{CampaignOptions.SectionName}:{message}");
            }
        }
    }
}
