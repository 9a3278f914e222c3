using System.Globalization;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;
using Xunit.Abstractions;

namespace GenSafety.Watermarking.Tests.Images;

public sealed class ImageWatermarkEmbedderTests(ITestOutputHelper output)
{
    private static readonly ImageWatermarkOptions Options = new();
    private readonly ImageWatermarkEmbedder _embedder = new(Options);
    private readonly ImageWatermarkDetector _detector = new(Options);
    private readonly WatermarkKeyRing _ring = TestKeys.Ring();

    [Theory]
    [InlineData(ImageFormat.Png, 0)]
    [InlineData(ImageFormat.Png, 5)]
    [InlineData(ImageFormat.Jpeg, 3)]
    [InlineData(ImageFormat.Jpeg, 7)]
    [InlineData(ImageFormat.Webp, 4)]
    public void Embed_EncodedImage_KeepsFormatAndSizeAndDetectsItsRecordId(ImageFormat format, int index)
    {
        var original = ImageCodec.Encode(SyntheticImages.Generate(index, 640, 480), format, 95);
        var key = _ring.Current("acme", KeyPurpose.Image);

        var marked = _embedder.Embed(original, key);
        var detection = _detector.Detect(marked.Image, _ring.DetectionKeys("acme", KeyPurpose.Image));

        Assert.Equal(format, marked.Format);
        var (decoded, decodedFormat) = ImageCodec.Decode(marked.Image, 1, long.MaxValue);
        Assert.Equal(format, decodedFormat);
        Assert.Equal((640, 480), (decoded.Width, decoded.Height));
        Assert.Equal((640, 480), (marked.Width, marked.Height));
        Assert.True(detection.Detected, $"p = {detection.PValue}");
        Assert.Equal(marked.RecordId, detection.RecordId);
        Assert.Equal(key.Kid, detection.Kid);
        Assert.Equal(key.Kid, marked.Kid);
        Assert.True(detection.PValue < 1e-12, $"p = {detection.PValue}");
    }

    [Theory]
    [InlineData(128, 128)]
    [InlineData(128, 1024)]
    [InlineData(2000, 150)]
    [InlineData(1920, 1080)]
    public void EmbedPixels_SmallAndElongatedSizes_DetectedAtPsnr40dB(int width, int height)
    {
        var key = _ring.Current("acme", KeyPurpose.Image);
        for (var i = 0; i < SyntheticImages.Kinds; i += 3)
        {
            var image = SyntheticImages.Generate(i, width, height);
            var marked = _embedder.EmbedPixels(image, key, 77);
            var detection = _detector.Detect(ImageAttacks.Jpeg(marked, 90), [key]);

            Assert.True(detection.Detected && detection.RecordId == 77, $"{width}×{height} kind {i}: p = {detection.PValue}");
            Assert.True(ImageQuality.Psnr(image, marked) >= 40, $"{width}×{height} kind {i}: PSNR {ImageQuality.Psnr(image, marked):F2}");
        }
    }

    [Fact]
    public void Embed_RecordIds_AreFreshPerImage()
    {
        var original = ImageCodec.Encode(SyntheticImages.Generate(1, 256, 256), ImageFormat.Png, 100);
        var key = _ring.Current("acme", KeyPurpose.Image);

        var ids = Enumerable.Range(0, 8).Select(_ => _embedder.Embed(original, key).RecordId).ToHashSet();

        Assert.Equal(8, ids.Count);
    }

    [Fact]
    public void EmbedPixels_EveryKindOfContent_PsnrAtLeast40dB()
    {
        var key = _ring.Current("acme", KeyPurpose.Image);
        var worst = double.PositiveInfinity;
        for (var i = 0; i < 24; i++)
        {
            var (width, height) = (i % 3) switch { 0 => (512, 512), 1 => (800, 450), _ => (300, 400) };
            var image = SyntheticImages.Generate(i, width, height);
            var marked = _embedder.EmbedPixels(image, key, (ulong)i);
            var psnr = ImageQuality.Psnr(image, marked);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{SyntheticImages.KindNames[i % SyntheticImages.Kinds],-16} {width}×{height}: PSNR {psnr:F2} dB, SSIM {ImageQuality.Ssim(image, marked):F4}"));
            worst = Math.Min(worst, psnr);
            Assert.Equal(image.Pixels.Where((_, j) => (j & 3) == 3), marked.Pixels.Where((_, j) => (j & 3) == 3));
        }

        Assert.True(worst >= 40, $"worst PSNR {worst:F2} dB");
    }

    [Fact]
    public void EmbedPixels_LeavesTheInputUntouched()
    {
        var image = SyntheticImages.Generate(2, 256, 256);
        var copy = image.Clone();

        _embedder.EmbedPixels(image, _ring.Current("acme", KeyPurpose.Image), 42);

        Assert.Equal(copy.Pixels, image.Pixels);
    }

    [Fact]
    public void Embed_KeyOfAnotherPurpose_Throws()
    {
        var original = ImageCodec.Encode(SyntheticImages.Generate(1, 256, 256), ImageFormat.Png, 100);

        Assert.Throws<ArgumentException>(() => _embedder.Embed(original, _ring.Current("acme", KeyPurpose.Lexical)));
        Assert.Throws<ArgumentException>(() => _detector.Detect(original, [_ring.Current("acme", KeyPurpose.UnigramBias)]));
    }

    [Fact]
    public void Embed_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ImageWatermarkEmbedder(new ImageWatermarkOptions { StepSize = 1 }));
        Assert.Throws<ArgumentException>(() => new ImageWatermarkDetector(new ImageWatermarkOptions { ListDecodingBits = 20 }));
    }
}
