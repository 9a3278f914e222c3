using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.WindowMmd;

/// <summary>Checks <see cref="WindowMmdQueryOptions"/> at start-up (reference files included) and reports every problem at once.</summary>
public sealed class WindowMmdQueryOptionsValidator : IValidateOptions<WindowMmdQueryOptions>
{
    private const string Section = DetectionOptions.DetectorsSection + ":" + WindowMmdQueryDetector.DetectorName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WindowMmdQueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        Check(errors, options.WindowSize is >= 8 and <= 1024, "WindowSize must be between 8 and 1024.");
        Check(errors, options.TargetFalsePositiveRate is > 0 and <= 0.5, "TargetFalsePositiveRate must be above 0 and at most 0.5.");
        Check(errors, options.CalibrationWindows <= 100_000 && options.CalibrationWindows >= Math.Ceiling((1 / options.TargetFalsePositiveRate) - 1e-9),
            "CalibrationWindows must be at least 1 / TargetFalsePositiveRate and at most 100000.");
        Check(errors, options.Bandwidth >= 0 && double.IsFinite(options.Bandwidth), "Bandwidth must be 0 (median heuristic) or positive.");
        Check(errors, options.AlarmRatio > 0 && double.IsFinite(options.AlarmRatio), "AlarmRatio must be positive.");
        foreach (var (tenant, settings) in options.Tenants)
        {
            if (string.IsNullOrWhiteSpace(settings.ReferencePath))
            {
                errors.AddError($"{Section}:Tenants:{tenant}:ReferencePath must name a JSONL file of benign prompts.");
            }
            else if (!File.Exists(settings.ReferencePath))
            {
                errors.AddError($"{Section}:Tenants:{tenant}:ReferencePath: file '{settings.ReferencePath}' not found.");
            }
        }

        return errors.Build();
    }

    private static void Check(ValidateOptionsResultBuilder errors, bool valid, string message)
    {
        if (!valid)
        {
            errors.AddError($"{Section}:{message}");
        }
    }
}
