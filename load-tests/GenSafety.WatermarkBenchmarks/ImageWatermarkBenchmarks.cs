using BenchmarkDotNet.Attributes;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Tests.TestSupport;

namespace GenSafety.WatermarkBenchmarks;

/// <summary>Per-image costs of the <c>image-qim</c> scheme on a 1024×1024 synthetic image (mixed content).</summary>
[MemoryDiagnoser]
public class ImageWatermarkBenchmarks
{
    private const int Side = 1024;

    private readonly ImageWatermarkOptions _options = new();
    private ImageWatermarkEmbedder _embedder = null!;
    private ImageWatermarkDetector _detector = null!;
    private WatermarkKey _key = null!;
    private WatermarkKey[] _detectionKeys = [];
    private RgbaImage _image = null!;
    private RgbaImage _marked = null!;
    private byte[] _png = [];
    private byte[] _jpeg = [];
    private byte[] _markedJpeg = [];
    private ulong _next;

    [GlobalSetup]
    public void Setup()
    {
        var ring = new WatermarkKeyRing(WatermarkMasterKey.FromBytes(new byte[32]), new KeyRingOptions(), TimeProvider.System);
        _embedder = new ImageWatermarkEmbedder(_options);
        _detector = new ImageWatermarkDetector(_options);
        _key = ring.Current("bench", KeyPurpose.Image);
        _detectionKeys = [.. ring.DetectionKeys("bench", KeyPurpose.Image)];
        _image = SyntheticImages.Generate(7, Side, Side);
        _png = ImageCodec.Encode(_image, ImageFormat.Png, 100);
        _jpeg = ImageCodec.Encode(_image, ImageFormat.Jpeg, 95);
        _marked = _embedder.EmbedPixels(_image, _key, 1);
        _markedJpeg = _embedder.Embed(_jpeg, _key, 1).Image;
    }

    /// <summary>The mark itself: decoded pixels in, marked pixels out.</summary>
    [Benchmark]
    public int EmbedPixels() => _embedder.EmbedPixels(_image, _key, _next++).Width;

    /// <summary>Decode JPEG, mark, re-encode JPEG (4:4:4, q95).</summary>
    [Benchmark]
    public int EmbedJpeg() => _embedder.Embed(_jpeg, _key, _next++).Image.Length;

    /// <summary>Decode PNG, mark, re-encode PNG.</summary>
    [Benchmark]
    public int EmbedPng() => _embedder.Embed(_png, _key, _next++).Image.Length;

    /// <summary>Detection on decoded pixels under the live and three retired keys.</summary>
    [Benchmark]
    public double DetectPixels() => _detector.Detect(_marked, _detectionKeys).PValue;

    /// <summary>Decode a marked JPEG and detect under four keys.</summary>
    [Benchmark]
    public double DetectJpeg() => _detector.Detect(_markedJpeg, _detectionKeys).PValue;
}
