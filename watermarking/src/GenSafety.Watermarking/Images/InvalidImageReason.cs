namespace GenSafety.Watermarking.Images;

/// <summary>Why image bytes were refused.</summary>
public enum InvalidImageReason
{
    /// <summary>The bytes are empty or in no image format the decoder knows.</summary>
    NotAnImage,

    /// <summary>A real image, but not PNG, JPEG or WebP, or animated (re-encoding would lose frames).</summary>
    UnsupportedFormat,

    /// <summary>Smaller than <see cref="ImageWatermarkOptions.MinSide"/> on a side, or more than <see cref="ImageWatermarkOptions.MaxPixels"/> pixels.</summary>
    UnsupportedSize,

    /// <summary>The header parsed but the pixel data is truncated or corrupt.</summary>
    Corrupt,
}
