using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection.NearDuplicate;

/// <summary>
/// How the <c>near-duplicate</c> share becomes the gateway score, bound from the detector's own section
/// (<c>GenSafety:Detection:Detectors:near-duplicate</c>, next to the library's <c>NearDuplicateOptions</c>):
/// score = clamp((share − <see cref="FreeShare"/>) / (<see cref="SaturatingShare"/> − <see cref="FreeShare"/>)). Benign
/// apps do send near-duplicates — a support bot's end users ask the same templated questions — so part of the share
/// is free: with the traffic generator's personas the largest benign share was 0.69 (a heavy chat user), attacks
/// reached 0.75–1 (docs/detection.md).
/// </summary>
public sealed class NearDuplicateScoreOptions
{
    /// <summary>Share of flagged recent queries that scores nothing, [0, 1). Default 0.6.</summary>
    public double FreeShare { get; set; } = 0.6;

    /// <summary>Share that scores 1, (FreeShare, 1]. Default 0.95.</summary>
    public double SaturatingShare { get; set; } = 0.95;
}

/// <summary>Checks <see cref="NearDuplicateScoreOptions"/>.</summary>
public sealed class NearDuplicateScoreOptionsValidator : IValidateOptions<NearDuplicateScoreOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, NearDuplicateScoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.FreeShare >= 0 && options.SaturatingShare > options.FreeShare && options.SaturatingShare <= 1
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{DetectionOptions.DetectorsSection}:{NearDuplicateQueryDetector.DetectorName}:FreeShare and SaturatingShare must satisfy 0 <= FreeShare < SaturatingShare <= 1.");
    }
}
