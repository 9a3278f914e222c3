using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Extraction;

/// <summary>Checks <see cref="HarvestingOptions"/> and reports every problem at once.</summary>
public sealed class HarvestingOptionsValidator : IValidateOptions<HarvestingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HarvestingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = HarvestingOptions.SectionName;

        Check(options.WindowSize is >= 8 and <= 255, "WindowSize must be between 8 and 255.");
        Check(options.MinQueries >= 1 && options.MinQueries <= options.WindowSize, "MinQueries must be between 1 and WindowSize.");
        Check(options.PrefixCharacters is >= 16 and <= 4096, "PrefixCharacters must be between 16 and 4096.");
        Check(options.ShingleLength is >= 2 and <= 16, "ShingleLength must be between 2 and 16.");
        Check(options.MinTemplateCharacters is >= 0 and <= ushort.MaxValue, "MinTemplateCharacters must be between 0 and 65535.");
        Check(options.TemplateSimilarity is > 0 and <= 1, "TemplateSimilarity must be above 0 and at most 1.");
        Check(options.LongOutputTokensLow >= 0 && options.LongOutputTokensHigh > options.LongOutputTokensLow && options.LongOutputTokensHigh < ushort.MaxValue,
            "LongOutputTokensLow must be at least 0 and below LongOutputTokensHigh, which must be below 65535.");
        Check(options.AssumedMaxTokens is >= 0 and < ushort.MaxValue, "AssumedMaxTokens must be between 0 and 65534.");
        Check(options.HotTemperatureLow >= 0 && options.HotTemperatureHigh > options.HotTemperatureLow && options.HotTemperatureHigh <= 2.54,
            "HotTemperatureLow must be at least 0 and below HotTemperatureHigh, which must be at most 2.54.");
        Check(options.AssumedTemperature is >= 0 and <= 2.54, "AssumedTemperature must be between 0 and 2.54.");
        Check(options.VolumePerMinuteLow >= 0 && options.VolumePerMinuteHigh > options.VolumePerMinuteLow && double.IsFinite(options.VolumePerMinuteHigh),
            "VolumePerMinuteLow must be at least 0 and below VolumePerMinuteHigh (finite).");
        Check(options.ElicitationWeight is >= 0 and <= 1 && options.VolumeWeight is >= 0 and <= 1 && options.ElicitationWeight + options.VolumeWeight > 0,
            "ElicitationWeight and VolumeWeight must lie in [0, 1] and not both be 0.");
        Check(options.ReasoningFloor is >= 0 and <= 1, "ReasoningFloor must lie in [0, 1].");
        Check(options.ReasoningPhrases is null || options.ReasoningPhrases.All(p => p is { Length: >= 3 and <= 64 } && !string.IsNullOrWhiteSpace(p)),
            "ReasoningPhrases must each hold 3 to 64 characters.");
        Check(options.MaxCharacters is >= 256 and <= 1 << 20, "MaxCharacters must be between 256 and 1048576.");
        return errors.Build();

        void Check(bool valid, string message)
        {
            if (!valid)
            {
                errors.AddError($"{Section}:{message}");
            }
        }
    }
}
