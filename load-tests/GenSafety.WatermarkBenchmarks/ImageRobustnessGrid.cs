using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;

namespace GenSafety.WatermarkBenchmarks;

/// <summary>
/// The image attack grid: marks synthetic images, applies each edit, and reports per edit the id-bit accuracy, the
/// true-positive rate at the scheme's family-wise α (p-values over the live and three retired keys, right id required),
/// the true-positive rate at an empirical false-positive rate of 10⁻³ and the AUC, both against the negative set
/// (<see cref="ImageNegatives"/>, 10,000 by default); plus the mark's PSNR and SSIM and embed/detect throughput.
/// Run: <c>dotnet run -c Release --project load-tests/GenSafety.WatermarkBenchmarks -- image-robustness [images] [side] [negatives]</c>.
/// </summary>
internal static class ImageRobustnessGrid
{
    private const double TargetRate = 1e-3;

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
        var negativeCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
        var options = new ImageWatermarkOptions();
        var embedder = new ImageWatermarkEmbedder(options);
        var detector = new ImageWatermarkDetector(options);
        var ring = new WatermarkKeyRing(WatermarkMasterKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()), new KeyRingOptions(), TimeProvider.System);
        var clock = Stopwatch.StartNew();

        var marked = new (RgbaImage Marked, ulong Id, string Tenant, double Psnr, double Ssim)[images];
        Parallel.For(0, images, i =>
        {
            var tenant = "tenant-" + (i % 8);
            var original = SyntheticImages.Generate(i, side, side * 3 / 4);
            var id = unchecked((ulong)(i + 1) * 0x9E3779B97F4A7C15UL);
            var image = embedder.EmbedPixels(original, ring.Current(tenant, KeyPurpose.Image), id);
            marked[i] = (image, id, tenant, ImageQuality.Psnr(original, image), ImageQuality.Ssim(original, image));
        });

        var negatives = ImageNegatives.Score(negativeCount, side, embedder, detector, ring);
        var threshold = negatives.ThresholdAt(TargetRate);
        var throughput = ImageThroughput.Measure(embedder, detector, ring);

        var w0 = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(w0, $"image-qim grid: {images} synthetic images {side}×{side * 3 / 4} ({SyntheticImages.Kinds} kinds), step {options.StepSize}, α = {options.TargetFalsePositiveRate} family-wise over 4 keys × {1 << options.ListDecodingBits} candidate ids × {options.GainCandidates} gains; {Environment.ProcessorCount} threads"));
        Console.WriteLine(string.Create(w0, $"quality: PSNR mean {marked.Average(m => m.Psnr):F2} dB (min {marked.Min(m => m.Psnr):F2}), SSIM mean {marked.Average(m => m.Ssim):F4} (min {marked.Min(m => m.Ssim):F4})"));
        Console.WriteLine(string.Create(w0, $"negatives: {negativeCount} ({(negativeCount + 1) / 2} unmarked, {negativeCount / 2} marked under another tenant's key), {negatives.Detected} detected at α (empirical FPR {negatives.Detected / (double)negativeCount:G3}); smallest p {negatives.SmallestP:E2}; score (tag-site agreement of 1,024) threshold at empirical FPR {TargetRate}: > {threshold} (highest negative {negatives.HighestScore})"));
        Console.WriteLine(string.Create(w0, $"throughput (1024×1024, one thread, median of {ImageThroughput.Runs}): {throughput}"));
        Console.WriteLine();
        Console.WriteLine("| edit | id-bit accuracy | TPR at α = 10⁻³ (right id) | TPR at empirical FPR 10⁻³ | AUC | median p | PSNR of the edit |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, apply) in Attacks)
        {
            var bits = new double[images];
            var found = new bool[images];
            var editPsnr = new double[images];
            var positives = new ImageScores(images);
            Parallel.For(0, images, i =>
            {
                var (image, id, tenant, _, _) = marked[i];
                var attacked = apply(image, i);
                var reading = detector.Read(attacked, ring.Current(tenant, KeyPurpose.Image));
                bits[i] = 1 - (BitOperations.PopCount(reading.RecordId ^ id) / 64.0);
                var detection = detector.Detect(attacked, ring.DetectionKeys(tenant, KeyPurpose.Image));
                found[i] = detection.Detected && detection.RecordId == id;
                positives.Set(i, detection);
                editPsnr[i] = attacked.Width == image.Width && attacked.Height == image.Height ? ImageQuality.Psnr(image, attacked) : double.NaN;
            });

            var meanPsnr = editPsnr.Average();
            var hits = found.Count(f => f);
            Console.WriteLine(string.Create(w0,
                $"| {name} | {bits.Average():P1} | {hits / (double)images:P1} ({hits}/{images}) | {positives.RateAbove(threshold):P1} | {positives.Auc(negatives):F4} | {positives.MedianP():G2} | {(double.IsNaN(meanPsnr) ? "–" : double.IsPositiveInfinity(meanPsnr) ? "∞" : meanPsnr.ToString("F1", w0) + " dB")} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(w0, $"elapsed {clock.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }
}
