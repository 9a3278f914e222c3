using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.ApiSurface;

/// <summary>Checks <see cref="ApiSurfaceOptions"/> at start-up and reports every problem at once.</summary>
public sealed class ApiSurfaceOptionsValidator : IValidateOptions<ApiSurfaceOptions>
{
    private const string Section = DetectionOptions.DetectorsSection + ":" + ApiSurfaceDetector.DetectorName;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ApiSurfaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        Check(errors, options.WindowRequests is >= 16 and <= 4096, "WindowRequests must be between 16 and 4096.");
        Check(errors, options.Window >= TimeSpan.FromMinutes(1), "Window must be at least 1 minute.");
        Check(errors, options.MinRequests >= 1 && options.MinRequests <= options.WindowRequests, "MinRequests must be between 1 and WindowRequests.");
        Check(errors, options.ExtremeBias is > 0 and <= 100, "ExtremeBias must be above 0 and at most 100.");
        Check(errors, options.ProbeMaxTokens is >= 1 and <= 64, "ProbeMaxTokens must be between 1 and 64.");
        Check(errors, options.MinSweepIds >= 1 && options.MinPromptSweepIds >= 1, "MinSweepIds and MinPromptSweepIds must be at least 1.");
        Check(errors, options.FreeSweeps >= 1 && options.SaturatingSweeps > options.FreeSweeps && options.SaturatingPromptSweeps > options.FreeSweeps,
            "FreeSweeps must be at least 1 and below SaturatingSweeps and SaturatingPromptSweeps.");
        Check(errors, options.ResweepAfter is >= 1 and <= 1000, "ResweepAfter must be between 1 and 1000.");
        Check(errors, options.BisectionTolerance is > 0 and < 0.5, "BisectionTolerance must be above 0 and below 0.5.");
        Check(errors, options.SurfaceBase is >= 0 and <= 1, "SurfaceBase must be between 0 and 1.");
        Check(errors, options.PromptSlots is >= 1 and <= 256, "PromptSlots must be between 1 and 256.");
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
