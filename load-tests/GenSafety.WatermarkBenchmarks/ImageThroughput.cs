using System.Diagnostics;
using System.Globalization;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;

namespace GenSafety.WatermarkBenchmarks;

/// <summary>
/// Coarse per-image timings at 1024×1024 for the grid's header: what the gateway does per generated image (decode,
/// mark, re-encode) for PNG and JPEG, and detection from encoded bytes. BenchmarkDotNet's
/// <see cref="ImageWatermarkBenchmarks"/> gives the precise figures.
/// </summary>
internal static class ImageThroughput
{
    public const int Runs = 9;

    public static string Measure(ImageWatermarkEmbedder embedder, ImageWatermarkDetector detector, WatermarkKeyRing ring)
    {
        var key = ring.Current("throughput", KeyPurpose.Image);
        var keys = ring.DetectionKeys("throughput", KeyPurpose.Image);
        var image = SyntheticImages.Generate(7, 1024, 1024);
        var png = ImageCodec.Encode(image, ImageFormat.Png, 100);
        var jpeg = ImageCodec.Encode(image, ImageFormat.Jpeg, 95);
        var markedJpeg = embedder.Embed(jpeg, key).Image;
        var embedPng = Median(() => embedder.Embed(png, key));
        var embedJpeg = Median(() => embedder.Embed(jpeg, key));
        var detect = Median(() => detector.Detect(markedJpeg, keys));
        return string.Create(CultureInfo.InvariantCulture,
            $"embed PNG {embedPng:F1} ms, embed JPEG {embedJpeg:F1} ms (decode + mark + re-encode), detect JPEG {detect:F1} ms (4 keys)");
    }

    private static double Median(Action action)
    {
        action();
        var times = new double[Runs];
        for (var i = 0; i < Runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[Runs / 2];
    }
}
