namespace GenSafety.Watermarking.Images;

/// <summary>Settings of the <c>image-qim</c> scheme (section <c>GenSafety:Watermarking:Image</c>).</summary>
public sealed class ImageWatermarkOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Watermarking:Image";

    /// <summary>
    /// QIM quantiser step Δ on the marked coefficients (luma levels of the normalised LL band). Larger survives more
    /// and costs PSNR: the mark's mean squared error is about Δ²/256 per pixel (28 → ≈ 43 dB). Marks made with one
    /// step are read only with the same step. Default 28.
    /// </summary>
    public double StepSize { get; set; } = 28;

    /// <summary>
    /// Correction rounds after the first embedding: each re-measures the marked pixels (after scaling back, rounding
    /// and clipping) at the normalised resolution and corrects the coefficients that missed their targets. Default 2.
    /// </summary>
    public int CorrectionRounds { get; set; } = 2;

    /// <summary>
    /// Least reliable record-id bits the detector flips (2^n candidates, each tested; the p-value is multiplied by
    /// 2^n). More bits correct more errors and raise the bar per candidate. Default 8.
    /// </summary>
    public int ListDecodingBits { get; set; } = 8;

    /// <summary>
    /// Smallest and largest amplitude gain the detector searches for (contrast and multiplicative brightness edits
    /// scale the marked coefficients). Both 1 turns the search off. Defaults 0.5 and 2.
    /// </summary>
    public double MinGain { get; set; } = 0.5;

    /// <summary>Largest amplitude gain searched (see <see cref="MinGain"/>). Default 2.</summary>
    public double MaxGain { get; set; } = 2;

    /// <summary>Ratio step of the gain grid (0.004 = 0.4%; a coefficient k steps from zero tolerates about 0.1/k). Default 0.004.</summary>
    public double GainSearchStep { get; set; } = 0.004;

    /// <summary>Best gains fully decoded and tested per key (the p-value is multiplied by this). Default 3.</summary>
    public int GainCandidates { get; set; } = 3;

    /// <summary>Family-wise false-positive rate of a detection verdict (after the corrections over candidates and keys). Default 1e-3.</summary>
    public double TargetFalsePositiveRate { get; set; } = 1e-3;

    /// <summary>JPEG quality of re-encoded JPEG images (always 4:4:4 chroma). Default 95.</summary>
    public int JpegQuality { get; set; } = 95;

    /// <summary>WebP quality of re-encoded WebP images (lossy). Default 95.</summary>
    public int WebpQuality { get; set; } = 95;

    /// <summary>
    /// zlib level of re-encoded PNG images (0–9). Marking adds texture that compresses worse than smooth originals;
    /// level 3 encodes several times faster than zlib's default 6 for a file about 15% larger. Default 3.
    /// </summary>
    public int PngCompressionLevel { get; set; } = 3;

    /// <summary>Smallest side accepted, in pixels: below it the mark's frequencies alias. Default 128.</summary>
    public int MinSide { get; set; } = 128;

    /// <summary>Largest image accepted, in pixels (bounds decode memory: 4 bytes per pixel). Default 40,000,000.</summary>
    public long MaxPixels { get; set; } = 40_000_000;
}
