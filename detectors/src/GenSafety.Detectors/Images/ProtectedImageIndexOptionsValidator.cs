using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Images;

/// <summary>Checks <see cref="ProtectedImageIndexOptions"/> and reports every problem at once.</summary>
public sealed class ProtectedImageIndexOptionsValidator : IValidateOptions<ProtectedImageIndexOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProtectedImageIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = ProtectedImageIndexOptions.SectionName;
        if (options.MaxDistance is < 0 or > PdqHash.Bits)
        {
            errors.AddError($"{Section}:MaxDistance must be between 0 and 256 bits.");
        }

        if (options.MinQuality is < 0 or > 100)
        {
            errors.AddError($"{Section}:MinQuality must be between 0 and 100.");
        }

        return errors.Build();
    }
}
