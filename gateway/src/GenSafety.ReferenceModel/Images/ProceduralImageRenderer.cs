using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using GenSafety.Detectors.Randomness;
using SkiaSharp;

namespace GenSafety.ReferenceModel.Images;

/// <summary>
/// Renders a PNG deterministically from (prompt, seed, size): a gradient background, soft glows, shapes and a
/// line texture, all drawn from a random stream seeded by a hash of prompt and seed.
/// </summary>
internal static class ProceduralImageRenderer
{
    public static byte[] RenderPng(string prompt, long seed, int size)
    {
        var random = new DeterministicRandom(Seed(prompt, seed));
        var info = new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("Skia could not create a raster surface.");
        var canvas = surface.Canvas;
        var hue = (float)(random.NextDouble() * 360);
        using var paint = new SKPaint { IsAntialias = true };

        DrawBackground(canvas, paint, random, hue, size);
        DrawGlows(canvas, paint, random, hue, size);
        DrawShapes(canvas, paint, random, hue, size);
        DrawTexture(canvas, paint, random, hue, size);

        using var pixmap = surface.PeekPixels();
        // Fast zlib level: images are generated per request and only need to be valid, not small.
        using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 1))
            ?? throw new InvalidOperationException("Skia could not encode the PNG.");
        return data.ToArray();
    }

    private static ulong Seed(string prompt, long seed)
    {
        var bytes = Encoding.UTF8.GetBytes($"{prompt}\u0000{seed}");
        return BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(bytes));
    }

    private static SKColor Color(DeterministicRandom random, float hue, byte alpha = 255) =>
        SKColor.FromHsv((hue + (float)((random.NextDouble() * 120) - 60) + 360) % 360, 35 + (float)(random.NextDouble() * 60), 30 + (float)(random.NextDouble() * 70), alpha);

    private static SKPoint Point(DeterministicRandom random, int size) =>
        new((float)(random.NextDouble() * size), (float)(random.NextDouble() * size));

    private static void DrawBackground(SKCanvas canvas, SKPaint paint, DeterministicRandom random, float hue, int size)
    {
        using var shader = SKShader.CreateLinearGradient(
            Point(random, size), Point(random, size), [Color(random, hue), Color(random, hue), Color(random, hue)], null, SKShaderTileMode.Mirror);
        paint.Shader = shader;
        canvas.DrawRect(0, 0, size, size, paint);
        paint.Shader = null;
    }

    private static void DrawGlows(SKCanvas canvas, SKPaint paint, DeterministicRandom random, float hue, int size)
    {
        for (var i = 0; i < 3; i++)
        {
            var center = Point(random, size);
            var radius = (float)(size * (0.2 + (random.NextDouble() * 0.5)));
            using var shader = SKShader.CreateRadialGradient(center, radius, [Color(random, hue, 170), SKColors.Transparent], SKShaderTileMode.Clamp);
            paint.Shader = shader;
            canvas.DrawCircle(center, radius, paint);
            paint.Shader = null;
        }
    }

    private static void DrawShapes(SKCanvas canvas, SKPaint paint, DeterministicRandom random, float hue, int size)
    {
        var count = 8 + random.NextInt(16);
        for (var i = 0; i < count; i++)
        {
            paint.Color = Color(random, hue, (byte)(90 + random.NextInt(140)));
            paint.Style = random.NextDouble() < 0.7 ? SKPaintStyle.Fill : SKPaintStyle.Stroke;
            paint.StrokeWidth = size * (0.004f + (float)(random.NextDouble() * 0.02));
            var center = Point(random, size);
            var extent = (float)(size * (0.03 + (random.NextDouble() * 0.2)));
            switch (random.NextInt(4))
            {
                case 0:
                    canvas.DrawCircle(center, extent, paint);
                    break;
                case 1:
                    canvas.Save();
                    canvas.RotateDegrees((float)(random.NextDouble() * 360), center.X, center.Y);
                    canvas.DrawRoundRect(center.X - extent, center.Y - (extent / 2), 2 * extent, extent, extent / 5, extent / 5, paint);
                    canvas.Restore();
                    break;
                case 2:
                    using (var path = new SKPath())
                    {
                        path.MoveTo(Point(random, size));
                        path.LineTo(Point(random, size));
                        path.LineTo(Point(random, size));
                        path.Close();
                        canvas.DrawPath(path, paint);
                    }

                    break;
                default:
                    paint.Style = SKPaintStyle.Stroke;
                    canvas.DrawLine(center, Point(random, size), paint);
                    break;
            }
        }
    }

    private static void DrawTexture(SKCanvas canvas, SKPaint paint, DeterministicRandom random, float hue, int size)
    {
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = Math.Max(1, size / 256f);
        paint.Color = Color(random, hue + 180, 40);
        var spacing = size / (16f + random.NextInt(32));
        var slope = (float)((random.NextDouble() * 2) - 1) * size;
        for (var x = -size; x < 2 * size; x += (int)Math.Max(spacing, 2))
        {
            canvas.DrawLine(x, 0, x + slope, size, paint);
        }
    }
}
