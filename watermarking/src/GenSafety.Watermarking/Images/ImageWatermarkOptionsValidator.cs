using Microsoft.Extensions.Options;

namespace GenSafety.Watermarking.Images;

/// <summary>Validates <see cref="ImageWatermarkOptions"/>; every error is reported at once.</summary>
public sealed class ImageWatermarkOptionsValidator : IValidateOptions<ImageWatermarkOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ImageWatermarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = ImageWatermarkOptions.SectionName;
        var errors = new List<string>();
        if (options.StepSize is not (>= 4 and <= 64))
        {
            errors.Add($"{S}:StepSize must be between 4 and 64 (got {options.StepSize}).");
        }

        if (options.CorrectionRounds is < 0 or > 8)
        {
            errors.Add($"{S}:CorrectionRounds must be between 0 and 8 (got {options.CorrectionRounds}).");
        }

        if (options.ListDecodingBits is < 0 or > 12)
        {
            errors.Add($"{S}:ListDecodingBits must be between 0 and 12 (got {options.ListDecodingBits}).");
        }

        if (options.MinGain is not (>= 0.1 and <= 1))
        {
            errors.Add($"{S}:MinGain must be between 0.1 and 1 (got {options.MinGain}).");
        }

        if (options.MaxGain is not (>= 1 and <= 10))
        {
            errors.Add($"{S}:MaxGain must be between 1 and 10 (got {options.MaxGain}).");
        }

        if (options.GainSearchStep is not (>= 0.0005 and <= 0.1))
        {
            errors.Add($"{S}:GainSearchStep must be between 0.0005 and 0.1 (got {options.GainSearchStep}).");
        }

        if (options.GainCandidates is < 1 or > 16)
        {
            errors.Add($"{S}:GainCandidates must be between 1 and 16 (got {options.GainCandidates}).");
        }

        if (options.TargetFalsePositiveRate is not (> 0 and < 0.5))
        {
            errors.Add($"{S}:TargetFalsePositiveRate must be greater than 0 and below 0.5 (got {options.TargetFalsePositiveRate}).");
        }

        if (options.JpegQuality is < 50 or > 100)
        {
            errors.Add($"{S}:JpegQuality must be between 50 and 100 (got {options.JpegQuality}).");
        }

        if (options.WebpQuality is < 50 or > 100)
        {
            errors.Add($"{S}:WebpQuality must be between 50 and 100 (got {options.WebpQuality}).");
        }

        if (options.PngCompressionLevel is < 0 or > 9)
        {
            errors.Add($"{S}:PngCompressionLevel must be between 0 and 9 (got {options.PngCompressionLevel}).");
        }

        if (options.MinSide is < 64 or > 4096)
        {
            errors.Add($"{S}:MinSide must be between 64 and 4096 (got {options.MinSide}).");
        }

        if (options.MaxPixels is < 65_536 or > 100_000_000)
        {
            errors.Add($"{S}:MaxPixels must be between 65536 and 100000000 (got {options.MaxPixels}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
