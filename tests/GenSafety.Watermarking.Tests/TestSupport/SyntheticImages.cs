using GenSafety.Watermarking.Images;

namespace GenSafety.Watermarking.Tests.TestSupport;

/// <summary>
/// Deterministic synthetic test images of varied content: gradients, noise, smooth textures, shapes, flat posters
/// (a known hard case for image marks), stripes and a busy mix. Same index and size → same pixels.
/// </summary>
internal static class SyntheticImages
{
    public const int Kinds = 8;

    public static readonly string[] KindNames = ["linear-gradient", "radial-gradient", "noise", "smooth-texture", "shapes", "flat-poster", "stripes", "mixed"];

    public static RgbaImage Generate(int index, int width, int height)
    {
        var random = new Random(unchecked((index * 7919) + 17));
        var kind = index % Kinds;
        var image = new RgbaImage(width, height, new byte[4 * width * height]);
        var c0 = RandomColor(random);
        var c1 = RandomColor(random);
        switch (kind)
        {
            case 0:
                var angle = random.NextDouble() * Math.PI;
                Fill(image, (x, y) => Mix(c0, c1, Math.Clamp(0.5 + (((x / (double)width) - 0.5) * Math.Cos(angle)) + (((y / (double)height) - 0.5) * Math.Sin(angle)), 0, 1)));
                break;
            case 1:
                var cx = random.NextDouble() * width;
                var cy = random.NextDouble() * height;
                Fill(image, (x, y) => Mix(c0, c1, Math.Min(1, Math.Sqrt(((x - cx) * (x - cx)) + ((y - cy) * (y - cy))) / Math.Max(width, height))));
                break;
            case 2:
                var amount = 0.2 + (0.6 * random.NextDouble());
                Fill(image, (x, y) => Noisy(Mix(c0, c1, x / (double)width), random, amount * 255));
                break;
            case 3:
                var waves = Waves(random, width, height);
                Fill(image, (x, y) => Mix(c0, c1, Wave(waves, x, y)));
                break;
            case 4:
                Fill(image, (_, _) => c0);
                for (var s = random.Next(8, 30); s > 0; s--)
                {
                    Shape(image, random);
                }

                break;
            case 5:
                var bands = random.Next(2, 5);
                var colors = Enumerable.Range(0, bands).Select(_ => RandomColor(random)).ToArray();
                var vertical = random.Next(2) == 0;
                Fill(image, (x, y) => colors[Math.Min(bands - 1, (vertical ? x * bands / width : y * bands / height))]);
                break;
            case 6:
                var period = random.Next(3, 40);
                var diagonal = random.Next(2) == 0;
                Fill(image, (x, y) => ((diagonal ? x + y : x) / period) % 2 == 0 ? c0 : c1);
                break;
            default:
                var texture = Waves(random, width, height);
                Fill(image, (x, y) => Noisy(Mix(c0, c1, Wave(texture, x, y)), random, 12));
                for (var s = random.Next(3, 12); s > 0; s--)
                {
                    Shape(image, random);
                }

                break;
        }

        return image;
    }

    private static (byte R, byte G, byte B) RandomColor(Random random) => ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));

    private static (byte R, byte G, byte B) Mix((byte R, byte G, byte B) a, (byte R, byte G, byte B) b, double t) =>
        ((byte)Math.Round(a.R + ((b.R - a.R) * t)), (byte)Math.Round(a.G + ((b.G - a.G) * t)), (byte)Math.Round(a.B + ((b.B - a.B) * t)));

    private static (byte R, byte G, byte B) Noisy((byte R, byte G, byte B) c, Random random, double amplitude)
    {
        byte N(byte v) => (byte)Math.Clamp(v + ((random.NextDouble() - 0.5) * amplitude), 0, 255);
        return (N(c.R), N(c.G), N(c.B));
    }

    private static (double Fx, double Fy, double Phase, double Weight)[] Waves(Random random, int width, int height) =>
        Enumerable.Range(0, 6).Select(_ => (random.NextDouble() * 12 / width, random.NextDouble() * 12 / height, random.NextDouble() * 2 * Math.PI, random.NextDouble())).ToArray();

    private static double Wave((double Fx, double Fy, double Phase, double Weight)[] waves, int x, int y)
    {
        var sum = 0.0;
        var total = 0.0;
        foreach (var (fx, fy, phase, weight) in waves)
        {
            sum += weight * Math.Sin((2 * Math.PI * ((fx * x) + (fy * y))) + phase);
            total += weight;
        }

        return 0.5 + (0.5 * sum / total);
    }

    private static void Shape(RgbaImage image, Random random)
    {
        var color = RandomColor(random);
        var cx = random.Next(image.Width);
        var cy = random.Next(image.Height);
        var rx = random.Next(4, image.Width / 3);
        var ry = random.Next(4, image.Height / 3);
        var circle = random.Next(2) == 0;
        for (var y = Math.Max(0, cy - ry); y < Math.Min(image.Height, cy + ry); y++)
        {
            for (var x = Math.Max(0, cx - rx); x < Math.Min(image.Width, cx + rx); x++)
            {
                var dx = (x - cx) / (double)rx;
                var dy = (y - cy) / (double)ry;
                if (!circle || (dx * dx) + (dy * dy) <= 1)
                {
                    Set(image, x, y, color);
                }
            }
        }
    }

    private static void Fill(RgbaImage image, Func<int, int, (byte R, byte G, byte B)> color)
    {
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                Set(image, x, y, color(x, y));
            }
        }
    }

    private static void Set(RgbaImage image, int x, int y, (byte R, byte G, byte B) c)
    {
        var o = 4 * ((y * image.Width) + x);
        image.Pixels[o] = c.R;
        image.Pixels[o + 1] = c.G;
        image.Pixels[o + 2] = c.B;
        image.Pixels[o + 3] = 255;
    }
}
