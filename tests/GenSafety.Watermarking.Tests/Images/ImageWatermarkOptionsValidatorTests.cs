using GenSafety.Watermarking.Images;

namespace GenSafety.Watermarking.Tests.Images;

public sealed class ImageWatermarkOptionsValidatorTests
{
    private readonly ImageWatermarkOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds() => Assert.True(_validator.Validate(null, new ImageWatermarkOptions()).Succeeded);

    [Fact]
    public void Validate_EveryFieldOutOfRange_ReportsEveryError()
    {
        var result = _validator.Validate(null, new ImageWatermarkOptions
        {
            StepSize = 0,
            CorrectionRounds = 9,
            ListDecodingBits = -1,
            TargetFalsePositiveRate = 0.5,
            JpegQuality = 101,
            WebpQuality = 10,
            PngCompressionLevel = 10,
            MinGain = 2,
            MaxGain = 0.5,
            GainSearchStep = 0,
            GainCandidates = 0,
            MinSide = 8,
            MaxPixels = 1,
        });

        Assert.True(result.Failed);
        foreach (var field in new[] { "StepSize", "CorrectionRounds", "ListDecodingBits", "TargetFalsePositiveRate", "JpegQuality", "WebpQuality", "PngCompressionLevel", "MinGain", "MaxGain", "GainSearchStep", "GainCandidates", "MinSide", "MaxPixels" })
        {
            Assert.Contains($"GenSafety:Watermarking:Image:{field}", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
