using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Memorization;

/// <summary>Checks <see cref="MemorizedRunOptions"/> and reports every problem at once.</summary>
public sealed class MemorizedRunOptionsValidator : IValidateOptions<MemorizedRunOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MemorizedRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = MemorizedRunOptions.SectionName;
        Check(options.MinRunTokens is >= 4 and <= 100_000, "MinRunTokens must be between 4 and 100000.");
        Check(options.MaxTokenSurprisal is > 0 and <= 5, "MaxTokenSurprisal must lie in (0, 5] nats.");
        Check(options.MaxTokenEntropy is > 0 and <= 5, "MaxTokenEntropy must lie in (0, 5] nats.");
        Check(options.MinZlibRatio is >= 0 and <= 1e6, "MinZlibRatio must lie in [0, 1e6].");
        Check(options.MinCompressedFraction is >= 0 and <= 2, "MinCompressedFraction must lie in [0, 2].");
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
