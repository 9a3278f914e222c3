using System.Runtime.InteropServices;
using SkiaSharp;

namespace GenSafety.Watermarking.Images;

/// <summary>PNG, JPEG and WebP decoding and encoding through SkiaSharp, with input checks that fail as <see cref="InvalidImageException"/>.</summary>
public static class ImageCodec
{
    /// <summary>
    /// Decodes <paramref name="encoded"/> to RGBA pixels. Throws <see cref="InvalidImageException"/> for anything that
    /// is not a whole, still PNG, JPEG or WebP image with sides of at least <paramref name="minSide"/> and at most
    /// <paramref name="maxPixels"/> pixels. The EXIF orientation is applied (pixels come out as viewers show them);
    /// no other metadata is read.
    /// </summary>
    public static (RgbaImage Image, ImageFormat Format) Decode(ReadOnlySpan<byte> encoded, int minSide, long maxPixels)
    {
        if (encoded.IsEmpty)
        {
            throw new InvalidImageException(InvalidImageReason.NotAnImage, "The image is empty.");
        }

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
            ?? throw new InvalidImageException(InvalidImageReason.NotAnImage, "The bytes are not an image format this gateway decodes.");
        var format = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Png => ImageFormat.Png,
            SKEncodedImageFormat.Jpeg => ImageFormat.Jpeg,
            SKEncodedImageFormat.Webp => ImageFormat.Webp,
            var other => throw new InvalidImageException(InvalidImageReason.UnsupportedFormat, $"{other} images are not supported; send PNG, JPEG or WebP."),
        };
        if (codec.FrameCount > 1)
        {
            throw new InvalidImageException(InvalidImageReason.UnsupportedFormat, "Animated images are not supported.");
        }

        var width = codec.Info.Width;
        var height = codec.Info.Height;
        if (width < minSide || height < minSide || (long)width * height > maxPixels)
        {
            throw new InvalidImageException(
                InvalidImageReason.UnsupportedSize,
                $"Images must be at least {minSide} pixels on each side and at most {maxPixels} pixels; this one is {width}×{height}.");
        }

        var image = new RgbaImage(width, height, new byte[4L * width * height]);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var handle = GCHandle.Alloc(image.Pixels, GCHandleType.Pinned);
        try
        {
            var result = codec.GetPixels(info, handle.AddrOfPinnedObject());
            if (result != SKCodecResult.Success)
            {
                // Skia fills the missing rows of a truncated image and reports IncompleteInput; marking such a
                // half-grey image would hide the damage, so it is refused like any other corrupt input.
                throw new InvalidImageException(InvalidImageReason.Corrupt, $"The image data is truncated or corrupt ({result}).");
            }
        }
        finally
        {
            handle.Free();
        }

        return (Orientation.Apply(image, codec.EncodedOrigin), format);
    }

    /// <summary>
    /// Encodes JPEG (<paramref name="quality"/>, chroma per <paramref name="fullChroma"/>: 4:4:4 or 4:2:0), lossy WebP
    /// (<paramref name="quality"/>) or PNG (lossless, zlib level <paramref name="pngLevel"/>, 0–9; quality unused).
    /// </summary>
    public static byte[] Encode(RgbaImage image, ImageFormat format, int quality, bool fullChroma = true, int pngLevel = 6)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        ArgumentOutOfRangeException.ThrowIfNegative(pngLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pngLevel, 9);
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var handle = GCHandle.Alloc(image.Pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var encoded = format switch
            {
                ImageFormat.Png => pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, pngLevel)),
                ImageFormat.Jpeg => pixmap.Encode(new SKJpegEncoderOptions(
                    quality,
                    fullChroma ? SKJpegEncoderDownsample.Downsample444 : SKJpegEncoderDownsample.Downsample420,
                    SKJpegEncoderAlphaOption.Ignore)),
                ImageFormat.Webp => pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, quality)),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format."),
            };
            return encoded?.ToArray() ?? throw new InvalidOperationException($"SkiaSharp could not encode a {image.Width}×{image.Height} {format} image.");
        }
        finally
        {
            handle.Free();
        }
    }
}
