using SkiaSharp;

namespace GenSafety.Watermarking.Images;

/// <summary>
/// Applies an encoded origin (the EXIF orientation of JPEG and WebP) to decoded pixels. Marked images are written
/// without metadata, so they must come out upright as viewers showed the original.
/// </summary>
internal static class Orientation
{
    public static RgbaImage Apply(RgbaImage stored, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or < SKEncodedOrigin.TopLeft or > SKEncodedOrigin.LeftBottom)
        {
            return stored;
        }

        var (w, h) = (stored.Width, stored.Height);
        var swaps = origin >= SKEncodedOrigin.LeftTop;
        var (width, height) = swaps ? (h, w) : (w, h);
        var output = new RgbaImage(width, height, new byte[stored.Pixels.Length]);
        var source = stored.Pixels.AsSpan();
        var target = output.Pixels.AsSpan();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // Where displayed pixel (x, y) is stored.
                var (sx, sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                source.Slice(4 * ((sy * w) + sx), 4).CopyTo(target.Slice(4 * ((y * width) + x), 4));
            }
        }

        return output;
    }
}
