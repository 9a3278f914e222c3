namespace GenSafety.Watermarking.Images;

/// <summary>
/// Decoded pixels: 8-bit RGBA, unpremultiplied, rows packed top to bottom (stride 4 × <see cref="Width"/>).
/// </summary>
public sealed class RgbaImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied); its length must be 4 × width × height.</summary>
    public RgbaImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != 4L * width * height)
        {
            throw new ArgumentException($"An RGBA image of {width}×{height} needs {4L * width * height} bytes, not {pixels.LongLength}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>RGBA bytes, 4 per pixel.</summary>
#pragma warning disable CA1819 // The pixel buffer is the point of the type; copying it per access would defeat it.
    public byte[] Pixels { get; }
#pragma warning restore CA1819

    /// <summary>A deep copy.</summary>
    public RgbaImage Clone() => new(Width, Height, (byte[])Pixels.Clone());
}
