using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Memorization;

/// <summary>Checks <see cref="ProtectedTextIndexOptions"/> and reports every problem at once.</summary>
public sealed class ProtectedTextIndexOptionsValidator : IValidateOptions<ProtectedTextIndexOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProtectedTextIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = ProtectedTextIndexOptions.SectionName;
        Check(options.NgramWidth is >= 8 and <= 256, "NgramWidth must be between 8 and 256.");
        Check(options.StopCharacters >= 2 * options.NgramWidth - 1 && options.StopCharacters <= 1 << 20,
            "StopCharacters must be at least 2 × NgramWidth − 1 (shorter copies need not contain a whole indexed n-gram) and at most 1048576.");
        Check(options.ExpectedNgrams is >= 1 and <= 1L << 36, "ExpectedNgrams must be between 1 and 2^36.");
        Check(options.FalsePositiveRate is > 1e-12 and < 0.5, "FalsePositiveRate must lie in (1e-12, 0.5).");
        Check(options.AttributionCapacity is >= 0 and <= 1 << 27, "AttributionCapacity must be between 0 and 134217728.");
        Check(options.Normalizer is not null, "Normalizer must be set.");
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
