using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Extraction;

/// <summary>Checks <see cref="NearDuplicateOptions"/> and reports every problem at once.</summary>
public sealed class NearDuplicateOptionsValidator : IValidateOptions<NearDuplicateOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, NearDuplicateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = NearDuplicateOptions.SectionName;

        if (options.Neighbours is < 1 or > 64)
        {
            errors.AddError($"{Section}:Neighbours must be between 1 and 64.");
        }

        if (options.HistoryCapacity <= options.Neighbours || options.HistoryCapacity > 1024)
        {
            errors.AddError($"{Section}:HistoryCapacity must be above Neighbours and at most 1024.");
        }

        if (!(options.Threshold is > 0 and <= 2))
        {
            errors.AddError($"{Section}:Threshold must be above 0 and at most 2.");
        }

        if (options.RecentQueries is < 1 or > 64)
        {
            errors.AddError($"{Section}:RecentQueries must be between 1 and 64.");
        }

        return errors.Build();
    }
}
