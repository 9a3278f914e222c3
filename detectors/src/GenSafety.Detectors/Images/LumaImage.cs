using SkiaSharp;

namespace GenSafety.Detectors.Images;

/// <summary>Decodes images to PDQ luma with SkiaSharp.</summary>
internal static class LumaImage
{
    /// <summary>Images larger than this on a side are first scaled down (linear, mipmapped) to it, to bound time and memory.</summary>
    public const int MaxSide = 1024;

    /// <summary>Largest decoded image accepted (pixels).</summary>
    public const long MaxPixels = 100_000_000;

    public static (float[] Luma, int Width, int Height) Decode(ReadOnlySpan<byte> encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException("The bytes are not an image format this gateway decodes.");
        var size = codec.Info;
        if (size.Width < 1 || size.Height < 1 || (long)size.Width * size.Height > MaxPixels)
        {
            throw new InvalidDataException($"Images must have 1 to {MaxPixels} pixels; this one is {size.Width}×{size.Height}.");
        }

        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var decoded = SKBitmap.Decode(codec, info) ?? throw new InvalidDataException("The image could not be decoded.");
        var bitmap = decoded;
        SKBitmap? scaled = null;
        try
        {
            if (Math.Max(size.Width, size.Height) > MaxSide)
            {
                var factor = (double)MaxSide / Math.Max(size.Width, size.Height);
                var target = new SKImageInfo(
                    Math.Max(1, (int)Math.Round(size.Width * factor)), Math.Max(1, (int)Math.Round(size.Height * factor)),
                    SKColorType.Rgba8888, SKAlphaType.Unpremul);
                scaled = decoded.Resize(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
                    ?? throw new InvalidDataException("The image could not be scaled.");
                bitmap = scaled;
            }

            return (ToLuma(bitmap.GetPixelSpan(), bitmap.Width, bitmap.Height, bitmap.RowBytes), bitmap.Width, bitmap.Height);
        }
        finally
        {
            scaled?.Dispose();
        }
    }

    /// <summary>PDQ luma (0.299 R + 0.587 G + 0.114 B) of RGBA rows <paramref name="rowBytes"/> apart.</summary>
    public static float[] ToLuma(ReadOnlySpan<byte> rgba, int width, int height, int rowBytes)
    {
        var luma = new float[width * height];
        for (var y = 0; y < height; y++)
        {
            var row = rgba.Slice(y * rowBytes, width * 4);
            for (var x = 0; x < width; x++)
            {
                luma[y * width + x] = 0.299f * row[4 * x] + 0.587f * row[4 * x + 1] + 0.114f * row[4 * x + 2];
            }
        }

        return luma;
    }
}
