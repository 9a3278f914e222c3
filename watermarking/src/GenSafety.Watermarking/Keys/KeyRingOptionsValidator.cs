using Microsoft.Extensions.Options;

namespace GenSafety.Watermarking.Keys;

/// <summary>Validates <see cref="KeyRingOptions"/>; every error is reported at once.</summary>
public sealed class KeyRingOptionsValidator : IValidateOptions<KeyRingOptions>
{
    /// <summary>Largest accepted <see cref="KeyRingOptions.RetiredEpochs"/>.</summary>
    public const int MaxRetiredEpochs = 36;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.RotationPeriod < TimeSpan.FromHours(1))
        {
            errors.Add($"{KeyRingOptions.SectionName}:RotationPeriod must be at least 1 hour (got {options.RotationPeriod}).");
        }

        if (options.RetiredEpochs is < 0 or > MaxRetiredEpochs)
        {
            errors.Add($"{KeyRingOptions.SectionName}:RetiredEpochs must be between 0 and {MaxRetiredEpochs} (got {options.RetiredEpochs}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
