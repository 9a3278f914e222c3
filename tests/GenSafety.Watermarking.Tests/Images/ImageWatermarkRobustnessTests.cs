using System.Globalization;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;
using Xunit.Abstractions;

namespace GenSafety.Watermarking.Tests.Images;

/// <summary>Common edits of a marked image that must keep the mark (the full grid is in the benchmark project).</summary>
public sealed class ImageWatermarkRobustnessTests(ITestOutputHelper output)
{
    private const int Images = 16;

    private static readonly ImageWatermarkOptions Options = new();
    private readonly ImageWatermarkEmbedder _embedder = new(Options);
    private readonly ImageWatermarkDetector _detector = new(Options);
    private readonly WatermarkKeyRing _ring = TestKeys.Ring();

    public static TheoryData<string> Edits => ["jpeg-q75-420", "jpeg-q75-444", "resize-0.75", "resize-0.5", "png-round-trip", "webp-q80", "contrast-1.5", "contrast-0.8", "blur-1px", "noise-0.02"];

    [Fact]
    public void Detect_ContrastWithoutGainSearch_LosesMarks()
    {
        // The contrast cases above pass because of the gain search: without it the scaled coefficients leave their
        // lattice and most marks are lost.
        var detector = new ImageWatermarkDetector(new ImageWatermarkOptions { MinGain = 1, MaxGain = 1 });
        var key = _ring.Current("acme", KeyPurpose.Image);
        var found = 0;
        for (var i = 0; i < Images; i++)
        {
            var marked = _embedder.EmbedPixels(SyntheticImages.Generate(i, 640, 480), key, 5);
            found += detector.Detect(ImageAttacks.Levels(marked, 1.5, 0), [key]).Detected ? 1 : 0;
        }

        output.WriteLine($"contrast ×1.5 without the gain search: {found}/{Images}");
        Assert.True(found < Images);
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void Detect_AfterEdit_FindsTheRecordId(string edit)
    {
        var keys = _ring.DetectionKeys("acme", KeyPurpose.Image);
        var found = 0;
        var worst = 0.0;
        for (var i = 0; i < Images; i++)
        {
            var id = unchecked((ulong)(i + 1) * 0x9E3779B97F4A7C15UL);
            var marked = _embedder.EmbedPixels(SyntheticImages.Generate(i, 640, 480), keys[0], id);
            var attacked = edit switch
            {
                "jpeg-q75-420" => ImageAttacks.Jpeg(marked, 75),
                "jpeg-q75-444" => ImageAttacks.Jpeg(marked, 75, fullChroma: true),
                "resize-0.75" => ImageAttacks.Resize(marked, 0.75),
                "resize-0.5" => ImageAttacks.Resize(marked, 0.5),
                "png-round-trip" => ImageCodec.Decode(ImageCodec.Encode(marked, ImageFormat.Png, 100), 1, long.MaxValue).Image,
                "webp-q80" => ImageAttacks.Webp(marked, 80),
                "contrast-1.5" => ImageAttacks.Levels(marked, 1.5, 0),
                "contrast-0.8" => ImageAttacks.Levels(marked, 0.8, 0),
                "blur-1px" => ImageAttacks.Blur(marked, 1),
                "noise-0.02" => ImageAttacks.Noise(marked, 0.02, i),
                _ => throw new ArgumentOutOfRangeException(nameof(edit)),
            };

            var detection = _detector.Detect(attacked, keys);
            worst = Math.Max(worst, detection.PValue);
            if (detection.Detected && detection.RecordId == id)
            {
                found++;
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{edit}: {found}/{Images} detected with the right id; worst p {worst:E2}"));
        Assert.Equal(Images, found);
    }
}
