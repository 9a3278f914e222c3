using GenSafety.Detectors.Randomness;
using SkiaSharp;

namespace GenSafety.Detectors.Tests.Images;

/// <summary>Seeded test pictures and the edits a near-duplicate survives or not.</summary>
internal static class TestImages
{
    public static SKBitmap Picture(long seed, int width = 320, int height = 256)
    {
        var random = new DeterministicRandom(DeterministicRandom.Derive(seed, 5));
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint { IsAntialias = true };
        using (var shader = SKShader.CreateLinearGradient(
                   new SKPoint(0, 0), new SKPoint(width, height),
                   [Color(random), Color(random)], SKShaderTileMode.Clamp))
        {
            paint.Shader = shader;
            canvas.DrawRect(0, 0, width, height, paint);
            paint.Shader = null;
        }

        for (var i = 0; i < 24; i++)
        {
            paint.Color = Color(random);
            var x = (float)(random.NextDouble() * width);
            var y = (float)(random.NextDouble() * height);
            var r = (float)(10 + random.NextDouble() * width / 4);
            if (random.NextInt(2) == 0)
            {
                canvas.DrawCircle(x, y, r, paint);
            }
            else
            {
                canvas.DrawRect(x - r, y - r / 2, r * 1.6f, r, paint);
            }
        }

        paint.Style = SKPaintStyle.Stroke;
        for (var i = 0; i < 40; i++)
        {
            paint.Color = Color(random);
            paint.StrokeWidth = (float)(1 + random.NextDouble() * 5);
            canvas.DrawLine((float)(random.NextDouble() * width), (float)(random.NextDouble() * height),
                (float)(random.NextDouble() * width), (float)(random.NextDouble() * height), paint);
        }

        return bitmap;
    }

    private static SKColor Color(DeterministicRandom random) =>
        new((byte)random.NextInt(256), (byte)random.NextInt(256), (byte)random.NextInt(256));

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 100)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }

    public static SKBitmap Resize(SKBitmap bitmap, double factor) =>
        bitmap.Resize(new SKImageInfo((int)(bitmap.Width * factor), (int)(bitmap.Height * factor), SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));

    public static SKBitmap Crop(SKBitmap bitmap, double share)
    {
        var dx = (int)(bitmap.Width * share / 2);
        var dy = (int)(bitmap.Height * share / 2);
        var cropped = new SKBitmap(new SKImageInfo(bitmap.Width - 2 * dx, bitmap.Height - 2 * dy, SKColorType.Rgba8888, SKAlphaType.Premul));
        bitmap.ExtractSubset(cropped, new SKRectI(dx, dy, bitmap.Width - dx, bitmap.Height - dy));
        return cropped.Copy();
    }

    public static SKBitmap MirrorHorizontal(SKBitmap bitmap)
    {
        var mirrored = new SKBitmap(bitmap.Info);
        using var canvas = new SKCanvas(mirrored);
        canvas.Scale(-1, 1, bitmap.Width / 2f, 0);
        canvas.DrawBitmap(bitmap, 0, 0);
        return mirrored;
    }

    /// <summary>Applies a dihedral symmetry to a luma image (transpose first, then mirrors), as PdqDihedral defines it.</summary>
    public static (float[] Luma, int Width, int Height) Transform(float[] luma, int width, int height, int variant)
    {
        var transpose = (variant & 4) != 0;
        var (w, h) = transpose ? (height, width) : (width, height);
        var result = new float[luma.Length];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var sx = (variant & 1) != 0 ? w - 1 - x : x;
                var sy = (variant & 2) != 0 ? h - 1 - y : y;
                result[y * w + x] = transpose ? luma[sx * width + sy] : luma[sy * width + sx];
            }
        }

        return (result, w, h);
    }

    public static float[] Luma(SKBitmap bitmap)
    {
        var luma = new float[bitmap.Width * bitmap.Height];
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                luma[y * bitmap.Width + x] = 0.299f * c.Red + 0.587f * c.Green + 0.114f * c.Blue;
            }
        }

        return luma;
    }
}
