using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Memorization;

/// <summary>Checks <see cref="MemorizationOptions"/> at start-up and reports every problem at once.</summary>
public sealed class MemorizationOptionsValidator : IValidateOptions<MemorizationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MemorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = MemorizationOptions.SectionName;
        // The library's validator checks it against the n-gram width (Text:StopCharacters); this is the outer bound.
        if (options.ThresholdChars is < 15 or > 1 << 20)
        {
            errors.AddError($"{Section}:ThresholdChars must be between 15 and 1048576 (and at least 2 × Text:NgramWidth − 1).");
        }

        if (options.NonStreamingAction is not (MemorizationActions.Block or MemorizationActions.Redact))
        {
            errors.AddError($"{Section}:NonStreamingAction must be 'block' or 'redact'.");
        }

        if (options.ImageAction is not (MemorizationActions.Block or MemorizationActions.Replace))
        {
            errors.AddError($"{Section}:ImageAction must be 'block' or 'replace'.");
        }

        if (options.ImageMaxHammingDistance is < 0 or > 128)
        {
            errors.AddError($"{Section}:ImageMaxHammingDistance must be between 0 and 128.");
        }

        if (options.ImagePromptMaxDistance is < 0 or > 128)
        {
            errors.AddError($"{Section}:ImagePromptMaxDistance must be between 0 and 128.");
        }

        if (options.ImagePromptWindow <= TimeSpan.Zero || options.ImagePromptCapacity is < 1 or > 10_000_000)
        {
            errors.AddError($"{Section}:ImagePromptWindow must be positive and ImagePromptCapacity between 1 and 10000000.");
        }

        foreach (var (key, value) in new[] { ("PrefixPromptRisk", options.PrefixPromptRisk), ("DivergencePromptRisk", options.DivergencePromptRisk), ("DivergentOutputRisk", options.DivergentOutputRisk), ("MemorizedRunRisk", options.MemorizedRunRisk), ("MemorizedImagePromptRisk", options.MemorizedImagePromptRisk) })
        {
            if (!(value is >= 0 and <= 1))
            {
                errors.AddError($"{Section}:{key} must be between 0 and 1.");
            }
        }

        CheckFolder(options.BulkTextPath, "BulkTextPath", errors);
        CheckFolder(options.BulkImagesPath, "BulkImagesPath", errors);
        if (options.MaxAdminBodyBytes is < 1024 or > 1L << 30)
        {
            errors.AddError($"{Section}:MaxAdminBodyBytes must be between 1024 and 1073741824.");
        }

        if (options.MaxItemsPerRequest is < 1 or > 100_000)
        {
            errors.AddError($"{Section}:MaxItemsPerRequest must be between 1 and 100000.");
        }

        if (options.MaxDocumentChars is < 1 or > 1 << 28)
        {
            errors.AddError($"{Section}:MaxDocumentChars must be between 1 and 268435456.");
        }

        if (options.ReloadCheckInterval < TimeSpan.FromMilliseconds(100) || options.ReloadCheckInterval > TimeSpan.FromHours(1))
        {
            errors.AddError($"{Section}:ReloadCheckInterval must be between 100 ms and 1 hour.");
        }

        return errors.Build();
    }

    private static void CheckFolder(string? path, string key, ValidateOptionsResultBuilder errors)
    {
        if (!string.IsNullOrWhiteSpace(path) && !Directory.Exists(path))
        {
            errors.AddError($"{MemorizationOptions.SectionName}:{key} '{path}' is not an existing folder.");
        }
    }
}
