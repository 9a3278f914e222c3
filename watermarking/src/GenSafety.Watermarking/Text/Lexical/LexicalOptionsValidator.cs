using Microsoft.Extensions.Options;

namespace GenSafety.Watermarking.Text.Lexical;

/// <summary>Validates <see cref="LexicalOptions"/>; every error is reported at once.</summary>
public sealed class LexicalOptionsValidator : IValidateOptions<LexicalOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LexicalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.TargetFalsePositiveRate is not (> 0 and < 0.5))
        {
            errors.Add($"{LexicalOptions.SectionName}:TargetFalsePositiveRate must be greater than 0 and below 0.5 (got {options.TargetFalsePositiveRate}).");
        }

        if (options.MaxHeldCharacters is < 16 or > 4096)
        {
            errors.Add($"{LexicalOptions.SectionName}:MaxHeldCharacters must be between 16 and 4096 (got {options.MaxHeldCharacters}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
