using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;

namespace GenSafety.WatermarkBenchmarks;

/// <summary>
/// The image attack grid: marks synthetic images, applies each edit, and reports id-bit accuracy and the true-positive
/// rate at the scheme's family-wise α (p-values over the live and three retired keys), next to the false-positive
/// rate measured on unmarked images. Run: <c>dotnet run -c Release --project load-tests/GenSafety.WatermarkBenchmarks -- image-robustness [images] [side] [negatives]</c>.
/// </summary>
internal static class ImageRobustnessGrid
{
    private static readonly (string Name, Func<RgbaImage, int, RgbaImage> Apply)[] Attacks =
    [
        ("none", (m, _) => m),
        ("PNG round trip", (m, _) => ImageCodec.Decode(ImageCodec.Encode(m, ImageFormat.Png, 100), 1, long.MaxValue).Image),
        ("JPEG q90 4:2:0", (m, _) => ImageAttacks.Jpeg(m, 90)),
        ("JPEG q75 4:2:0", (m, _) => ImageAttacks.Jpeg(m, 75)),
        ("JPEG q50 4:2:0", (m, _) => ImageAttacks.Jpeg(m, 50)),
        ("JPEG q30 4:2:0", (m, _) => ImageAttacks.Jpeg(m, 30)),
        ("WebP q80", (m, _) => ImageAttacks.Webp(m, 80)),
        ("WebP q50", (m, _) => ImageAttacks.Webp(m, 50)),
        ("resize 0.75", (m, _) => ImageAttacks.Resize(m, 0.75)),
        ("resize 0.5", (m, _) => ImageAttacks.Resize(m, 0.5)),
        ("resize 0.5 + JPEG q75", (m, _) => ImageAttacks.Jpeg(ImageAttacks.Resize(m, 0.5), 75)),
        ("resize 1.5", (m, _) => ImageAttacks.Resize(m, 1.5)),
        ("crop 98% area (centre)", (m, _) => ImageAttacks.Crop(m, 0.98)),
        ("crop 90% area (centre)", (m, _) => ImageAttacks.Crop(m, 0.90)),
        ("crop 75% area (centre)", (m, _) => ImageAttacks.Crop(m, 0.75)),
        ("crop 50% area (centre)", (m, _) => ImageAttacks.Crop(m, 0.50)),
        ("rotate 1°", (m, _) => ImageAttacks.Rotate(m, 1)),
        ("rotate 5°", (m, _) => ImageAttacks.Rotate(m, 5)),
        ("rotate 15°", (m, _) => ImageAttacks.Rotate(m, 15)),
        ("noise σ 0.02", (m, s) => ImageAttacks.Noise(m, 0.02, s)),
        ("noise σ 0.05", (m, s) => ImageAttacks.Noise(m, 0.05, s)),
        ("noise σ 0.1", (m, s) => ImageAttacks.Noise(m, 0.1, s)),
        ("brightness +0.1", (m, _) => ImageAttacks.Levels(m, 1, 0.1)),
        ("brightness ×1.2", (m, _) => ImageAttacks.Scale(m, 1.2)),
        ("brightness ×1.5", (m, _) => ImageAttacks.Scale(m, 1.5)),
        ("brightness ×2", (m, _) => ImageAttacks.Scale(m, 2)),
        ("contrast ×1.2", (m, _) => ImageAttacks.Levels(m, 1.2, 0)),
        ("contrast ×1.5", (m, _) => ImageAttacks.Levels(m, 1.5, 0)),
        ("contrast ×0.8", (m, _) => ImageAttacks.Levels(m, 0.8, 0)),
        ("blur σ 1 px", (m, _) => ImageAttacks.Blur(m, 1)),
        ("blur σ 2 px", (m, _) => ImageAttacks.Blur(m, 2)),
        ("blur σ 4 px", (m, _) => ImageAttacks.Blur(m, 4)),
    ];

    public static int Run(string[] args)
    {
        var images = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 48;
        var side = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 512;
        var negatives = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        var options = new ImageWatermarkOptions();
        var embedder = new ImageWatermarkEmbedder(options);
        var detector = new ImageWatermarkDetector(options);
        var ring = new WatermarkKeyRing(WatermarkMasterKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()), new KeyRingOptions(), TimeProvider.System);
        var clock = Stopwatch.StartNew();

        var marked = new (RgbaImage Original, RgbaImage Marked, ulong Id, string Tenant)[images];
        double psnr = 0, minPsnr = double.MaxValue, ssim = 0;
        for (var i = 0; i < images; i++)
        {
            var tenant = "tenant-" + (i % 8);
            var original = SyntheticImages.Generate(i, side, side * 3 / 4);
            var id = unchecked((ulong)(i + 1) * 0x9E3779B97F4A7C15UL);
            var image = embedder.EmbedPixels(original, ring.Current(tenant, KeyPurpose.Image), id);
            marked[i] = (original, image, id, tenant);
            var p = ImageQuality.Psnr(original, image);
            psnr += p / images;
            minPsnr = Math.Min(minPsnr, p);
            ssim += ImageQuality.Ssim(original, image) / images;
        }

        var negativeFlags = 0;
        var smallest = 1.0;
        for (var i = 0; i < negatives; i++)
        {
            var (w, h) = (i % 3) switch { 0 => (side, side * 3 / 4), 1 => (side / 2, side / 2), _ => (side * 3 / 4, side) };
            var detection = detector.Detect(SyntheticImages.Generate(100_000 + i, w, h), ring.DetectionKeys("tenant-" + (i % 8), KeyPurpose.Image));
            negativeFlags += detection.Detected ? 1 : 0;
            smallest = Math.Min(smallest, detection.PValue);
        }

        var w0 = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(w0, $"image-qim grid: {images} synthetic images {side}×{side * 3 / 4} ({SyntheticImages.Kinds} kinds), step {options.StepSize}, α = {options.TargetFalsePositiveRate} family-wise over 4 keys × {1 << options.ListDecodingBits} candidate ids × {options.GainCandidates} gains"));
        Console.WriteLine(string.Create(w0, $"quality: PSNR mean {psnr:F2} dB (min {minPsnr:F2}), SSIM mean {ssim:F4}"));
        Console.WriteLine(string.Create(w0, $"negatives: {negatives} unmarked images, {negativeFlags} detected (empirical FPR {negativeFlags / (double)negatives:G3}); smallest p {smallest:E2}"));
        Console.WriteLine();
        Console.WriteLine("| edit | id-bit accuracy | TPR at α = 10⁻³ (right id) | median p | PSNR of the edit |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, apply) in Attacks)
        {
            var bits = 0.0;
            var found = 0;
            var editPsnr = 0.0;
            var pValues = new double[images];
            for (var i = 0; i < images; i++)
            {
                var (_, image, id, tenant) = marked[i];
                var attacked = apply(image, i);
                var reading = detector.Read(attacked, ring.Current(tenant, KeyPurpose.Image));
                bits += 1 - (BitOperations.PopCount(reading.RecordId ^ id) / 64.0);
                var detection = detector.Detect(attacked, ring.DetectionKeys(tenant, KeyPurpose.Image));
                found += detection.Detected && detection.RecordId == id ? 1 : 0;
                pValues[i] = detection.PValue;
                editPsnr += attacked.Width == image.Width && attacked.Height == image.Height ? ImageQuality.Psnr(image, attacked) / images : double.NaN;
            }

            Array.Sort(pValues);
            Console.WriteLine(string.Create(w0,
                $"| {name} | {bits / images:P1} | {found / (double)images:P1} ({found}/{images}) | {pValues[images / 2]:G2} | {(double.IsNaN(editPsnr) ? "–" : double.IsPositiveInfinity(editPsnr) ? "∞" : editPsnr.ToString("F1", w0) + " dB")} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(w0, $"elapsed {clock.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }
}
