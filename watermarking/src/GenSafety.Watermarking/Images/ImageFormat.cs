namespace GenSafety.Watermarking.Images;

/// <summary>Encoded image formats the image scheme reads and writes (a marked image keeps its input's format).</summary>
public enum ImageFormat
{
    /// <summary>PNG (lossless).</summary>
    Png,

    /// <summary>JPEG (written at 4:4:4 chroma and <see cref="ImageWatermarkOptions.JpegQuality"/>).</summary>
    Jpeg,

    /// <summary>WebP (written lossy at <see cref="ImageWatermarkOptions.WebpQuality"/>).</summary>
    Webp,
}
