namespace GenSafety.Watermarking.Images;

/// <summary>A marked image and what its mark says.</summary>
/// <param name="Image">The re-encoded image, in <paramref name="Format"/>.</param>
/// <param name="Format">Format of the input and of the output.</param>
/// <param name="RecordId">The 64-bit record id carried by the mark (random per image unless the caller chose it).</param>
/// <param name="Kid">Id of the key that marked it.</param>
/// <param name="Width">Width in pixels (unchanged).</param>
/// <param name="Height">Height in pixels (unchanged).</param>
#pragma warning disable CA1819 // An encoded image is a byte array by nature; the result owns it.
public sealed record ImageWatermarkResult(byte[] Image, ImageFormat Format, ulong RecordId, string Kid, int Width, int Height)
{
    /// <summary>
    /// The marked pixels before encoding (the pixels of <see cref="Image"/> for PNG; for JPEG and WebP the pixels the
    /// final lossy encode started from), so a caller can hash what it delivers without decoding it again.
    /// </summary>
    public RgbaImage? MarkedPixels { get; init; }
}
#pragma warning restore CA1819
