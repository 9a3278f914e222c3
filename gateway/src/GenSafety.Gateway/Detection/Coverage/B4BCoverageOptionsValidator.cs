using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.Coverage;

/// <summary>Checks <see cref="B4BCoverageOptions"/> at start-up and reports every problem at once.</summary>
public sealed class B4BCoverageOptionsValidator : IValidateOptions<B4BCoverageOptions>
{
    private const string Section = DetectionOptions.DetectorsSection + ":" + B4BCoverageDetector.DetectorName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, B4BCoverageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        CheckRamp(errors, "Embedding", options.EmbeddingFreeCoverage, options.EmbeddingSaturatingCoverage);
        CheckRamp(errors, "Prompt", options.PromptFreeCoverage, options.PromptSaturatingCoverage);
        return errors.Build();
    }

    private static void CheckRamp(ValidateOptionsResultBuilder errors, string prefix, double free, double saturating)
    {
        if (!(free >= 0 && saturating > free && saturating <= 1))
        {
            errors.AddError($"{Section}:{prefix}FreeCoverage and {prefix}SaturatingCoverage must satisfy 0 <= free < saturating <= 1.");
        }
    }
}
