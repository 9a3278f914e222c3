using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>Checks <see cref="DegradeOptions"/> at start-up and reports every problem at once.</summary>
public sealed class DegradeOptionsValidator : IValidateOptions<DegradeOptions>
{
    /// <summary>Largest <see cref="DegradeOptions.MaxTopLogprobs"/> (the OpenAI maximum of <c>top_logprobs</c>).</summary>
    public const int MaxTopLogprobsLimit = 20;

    /// <summary>Largest <see cref="DegradeOptions.MaxN"/> (the OpenAI maximum of <c>n</c>).</summary>
    public const int MaxNLimit = 128;

    /// <summary>Smallest <see cref="DegradeOptions.LogprobQuantum"/>; finer steps would not degrade anything.</summary>
    public const double MinLogprobQuantum = 1e-6;

    /// <summary>Largest <see cref="DegradeOptions.LogprobQuantum"/>.</summary>
    public const double MaxLogprobQuantum = 100;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DegradeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        const string Section = DegradeOptions.SectionName;

        if (options.MaxTopLogprobs is < 0 or > MaxTopLogprobsLimit)
        {
            errors.AddError($"{Section}:MaxTopLogprobs must be between 0 and {MaxTopLogprobsLimit}.");
        }

        if (!(options.LogprobQuantum is >= MinLogprobQuantum and <= MaxLogprobQuantum))
        {
            errors.AddError($"{Section}:LogprobQuantum must be between {MinLogprobQuantum} and {MaxLogprobQuantum} nats.");
        }

        if (!Enum.IsDefined(options.LogitBias))
        {
            errors.AddError($"{Section}:LogitBias must be 'strip' or 'reject'.");
        }

        if (options.MaxN is < 1 or > MaxNLimit)
        {
            errors.AddError($"{Section}:MaxN must be between 1 and {MaxNLimit}.");
        }

        if (options.MaxTokens < 1)
        {
            errors.AddError($"{Section}:MaxTokens must be at least 1.");
        }

        CheckPositive(errors, options.NoiseLambda, Section + ":NoiseLambda");
        CheckPositive(errors, options.NoiseAlpha, Section + ":NoiseAlpha");
        CheckPositive(errors, options.NoiseBeta, Section + ":NoiseBeta");
        if (options.NoiseAlpha <= options.NoiseLambda)
        {
            // ln(α/λ) must be positive, or σ would be 0 (or shrink) as coverage grows.
            errors.AddError($"{Section}:NoiseAlpha must be greater than {Section}:NoiseLambda.");
        }

        if (!(options.MinNoiseSigma is >= 0 and <= 10))
        {
            errors.AddError($"{Section}:MinNoiseSigma must be between 0 and 10.");
        }

        if (!(options.DefaultCoverage is >= 0 and <= 1))
        {
            errors.AddError($"{Section}:DefaultCoverage must be between 0 and 1.");
        }

        return errors.Build();
    }

    private static void CheckPositive(ValidateOptionsResultBuilder errors, double value, string key)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            errors.AddError($"{key} must be a finite number greater than 0.");
        }
    }
}
