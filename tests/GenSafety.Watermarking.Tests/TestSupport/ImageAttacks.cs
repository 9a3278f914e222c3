using System.Runtime.InteropServices;
using GenSafety.Watermarking.Images;
using SkiaSharp;

namespace GenSafety.Watermarking.Tests.TestSupport;

/// <summary>Edits an attacker (or an ordinary pipeline) applies to a marked image; all deterministic.</summary>
internal static class ImageAttacks
{
    public static RgbaImage Jpeg(RgbaImage image, int quality, bool fullChroma = false) =>
        ImageCodec.Decode(ImageCodec.Encode(image, ImageFormat.Jpeg, quality, fullChroma), 1, long.MaxValue).Image;

    public static RgbaImage Webp(RgbaImage image, int quality) =>
        ImageCodec.Decode(ImageCodec.Encode(image, ImageFormat.Webp, quality), 1, long.MaxValue).Image;

    /// <summary>Scales both sides by <paramref name="factor"/> (linear filtering with mipmaps, as image tools do).</summary>
    public static RgbaImage Resize(RgbaImage image, double factor)
    {
        using var bitmap = ToBitmap(image);
        var info = new SKImageInfo(Math.Max(1, (int)Math.Round(image.Width * factor)), Math.Max(1, (int)Math.Round(image.Height * factor)), SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var scaled = bitmap.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        return FromBitmap(scaled);
    }

    /// <summary>Central crop keeping <paramref name="area"/> of the pixels (both sides × sqrt(area)).</summary>
    public static RgbaImage Crop(RgbaImage image, double area)
    {
        var side = Math.Sqrt(area);
        var width = (int)Math.Round(image.Width * side);
        var height = (int)Math.Round(image.Height * side);
        var left = (image.Width - width) / 2;
        var top = (image.Height - height) / 2;
        var pixels = new byte[4 * width * height];
        for (var y = 0; y < height; y++)
        {
            Array.Copy(image.Pixels, 4 * (((top + y) * image.Width) + left), pixels, 4 * y * width, 4 * width);
        }

        return new RgbaImage(width, height, pixels);
    }

    /// <summary>Rotates about the centre on a canvas of the same size (corners filled black).</summary>
    public static RgbaImage Rotate(RgbaImage image, float degrees) => Draw(image, (canvas, source) =>
    {
        canvas.Clear(SKColors.Black);
        canvas.RotateDegrees(degrees, image.Width / 2f, image.Height / 2f);
        using var snapshot = SKImage.FromBitmap(source);
        canvas.DrawImage(snapshot, 0, 0, new SKSamplingOptions(SKFilterMode.Linear));
    });

    /// <summary>Gaussian blur with standard deviation <paramref name="sigma"/> pixels.</summary>
    public static RgbaImage Blur(RgbaImage image, float sigma) => Draw(image, (canvas, source) =>
    {
        using var paint = new SKPaint { ImageFilter = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp) };
        using var snapshot = SKImage.FromBitmap(source);
        canvas.DrawImage(snapshot, 0, 0, paint);
    });

    /// <summary>Adds Gaussian noise of standard deviation <paramref name="sigma"/> (fraction of full scale) per channel.</summary>
    public static RgbaImage Noise(RgbaImage image, double sigma, int seed)
    {
        var random = new Random(seed);
        var output = image.Clone();
        for (var i = 0; i < output.Pixels.Length; i++)
        {
            if ((i & 3) != 3)
            {
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                output.Pixels[i] = (byte)Math.Clamp(Math.Round(output.Pixels[i] + (gaussian * sigma * 255)), 0, 255);
            }
        }

        return output;
    }

    /// <summary>v → (v − 128)·<paramref name="contrast"/> + 128 + <paramref name="brightness"/>·255, clipped.</summary>
    public static RgbaImage Levels(RgbaImage image, double contrast, double brightness) => Map(image, v => ((v - 128) * contrast) + 128 + (brightness * 255));

    /// <summary>v → v·<paramref name="factor"/>, clipped (multiplicative brightness).</summary>
    public static RgbaImage Scale(RgbaImage image, double factor) => Map(image, v => v * factor);

    private static RgbaImage Map(RgbaImage image, Func<double, double> map)
    {
        var output = image.Clone();
        for (var i = 0; i < output.Pixels.Length; i++)
        {
            if ((i & 3) != 3)
            {
                output.Pixels[i] = (byte)Math.Clamp(Math.Round(map(output.Pixels[i])), 0, 255);
            }
        }

        return output;
    }

    private static RgbaImage Draw(RgbaImage image, Action<SKCanvas, SKBitmap> draw)
    {
        using var source = ToBitmap(image);
        using var target = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            draw(canvas, source);
        }

        // Test images are opaque, where premultiplied and unpremultiplied pixels are the same bytes.
        return FromBitmap(target);
    }

    private static SKBitmap ToBitmap(RgbaImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Marshal.Copy(image.Pixels, 0, bitmap.GetPixels(), image.Pixels.Length);
        return bitmap;
    }

    private static RgbaImage FromBitmap(SKBitmap bitmap)
    {
        var pixels = new byte[4 * bitmap.Width * bitmap.Height];
        var span = bitmap.GetPixelSpan();
        for (var y = 0; y < bitmap.Height; y++)
        {
            span.Slice(y * bitmap.RowBytes, 4 * bitmap.Width).CopyTo(pixels.AsSpan(4 * y * bitmap.Width));
        }

        return new RgbaImage(bitmap.Width, bitmap.Height, pixels);
    }
}
