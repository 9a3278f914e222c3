using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Extraction;

/// <summary>Checks <see cref="SybilLinkOptions"/> and reports every problem at once.</summary>
public sealed class SybilLinkOptionsValidator : IValidateOptions<SybilLinkOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SybilLinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = SybilLinkOptions.SectionName;

        if (!(options.TemplateWeight is >= 0 and <= 1 && options.CoverageWeight is >= 0 and <= 1 && options.TimingWeight is >= 0 and <= 1) ||
            options.TemplateWeight + options.CoverageWeight + options.TimingWeight <= 0)
        {
            errors.AddError($"{Section}:TemplateWeight, CoverageWeight and TimingWeight must lie in [0, 1] and not all be 0.");
        }

        if (!(options.LinkThreshold is > 0 and <= 1))
        {
            errors.AddError($"{Section}:LinkThreshold must be above 0 and at most 1.");
        }

        if (options.MinActiveMinutes is < 2 or > HarvestingState.MinuteSlots)
        {
            errors.AddError($"{Section}:MinActiveMinutes must be between 2 and {HarvestingState.MinuteSlots}.");
        }

        return errors.Build();
    }
}
