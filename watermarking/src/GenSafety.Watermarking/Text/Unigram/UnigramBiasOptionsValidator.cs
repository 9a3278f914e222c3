using Microsoft.Extensions.Options;

namespace GenSafety.Watermarking.Text.Unigram;

/// <summary>Validates <see cref="UnigramBiasOptions"/>; every error is reported at once.</summary>
public sealed class UnigramBiasOptionsValidator : IValidateOptions<UnigramBiasOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, UnigramBiasOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = UnigramBiasOptions.SectionName;
        var errors = new List<string>();
        if (options.Gamma is not (> 0.01 and < 0.99))
        {
            errors.Add($"{Section}:Gamma must be between 0.01 and 0.99 (got {options.Gamma}).");
        }

        if (options.Delta is not (> 0 and <= 100))
        {
            errors.Add($"{Section}:Delta must be greater than 0 and at most 100 (got {options.Delta}).");
        }

        foreach (var (model, delta) in options.ModelDeltas)
        {
            if (delta is not (> 0 and <= 100))
            {
                errors.Add($"{Section}:ModelDeltas:{model} must be greater than 0 and at most 100 (got {delta}).");
            }
        }

        if (options.EntryCap is < 1)
        {
            errors.Add($"{Section}:EntryCap must be at least 1, or absent for no limit (got {options.EntryCap}).");
        }

        if (options.ScoredTokens is < 16)
        {
            errors.Add($"{Section}:ScoredTokens must be at least 16, or absent to derive it from EntryCap (got {options.ScoredTokens}).");
        }

        if (options.TargetFalsePositiveRate is not (> 0 and < 0.5))
        {
            errors.Add($"{Section}:TargetFalsePositiveRate must be greater than 0 and below 0.5 (got {options.TargetFalsePositiveRate}).");
        }

        foreach (var encoding in options.ModelEncodings.Values.Append(options.DefaultEncoding))
        {
            if (!TokenVocabulary.SupportedEncodings.Contains(encoding, StringComparer.Ordinal))
            {
                errors.Add($"{Section}: unknown encoding '{encoding}'; supported: {string.Join(", ", TokenVocabulary.SupportedEncodings)}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
