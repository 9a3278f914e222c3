using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;

namespace GenSafety.WatermarkBenchmarks;

/// <summary>
/// The negative set of the image grid: images the tested keys never marked, scored exactly as positives are. Even
/// indexes are unmarked synthetic images; odd ones are marked, with a random id, under another tenant's live key (what
/// a verifier sees when someone else's marked image is checked against a tenant). Sizes cycle through three aspect
/// ratios; each image is tested under the live and retired keys of one of eight tenants.
/// </summary>
internal static class ImageNegatives
{
    /// <summary>Scores of <paramref name="count"/> negatives (see <see cref="ImageScores"/>), computed in parallel.</summary>
    public static ImageScores Score(int count, int side, ImageWatermarkEmbedder embedder, ImageWatermarkDetector detector, WatermarkKeyRing ring)
    {
        var scores = new ImageScores(count);
        Parallel.For(0, count, i =>
        {
            var (w, h) = (i % 3) switch { 0 => (side, side * 3 / 4), 1 => (side / 2, side / 2), _ => (side * 3 / 4, side) };
            var image = SyntheticImages.Generate(100_000 + i, w, h);
            var tenant = "tenant-" + (i % 8);
            if (i % 2 == 1)
            {
                image = embedder.EmbedPixels(image, ring.Current("other-" + (i % 8), KeyPurpose.Image), (ulong)i * 0x9E3779B97F4A7C15UL);
            }

            scores.Set(i, detector.Detect(image, ring.DetectionKeys(tenant, KeyPurpose.Image)));
        });
        return scores;
    }
}
