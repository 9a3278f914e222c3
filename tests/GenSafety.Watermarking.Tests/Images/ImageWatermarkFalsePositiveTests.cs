using System.Globalization;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Statistics;
using GenSafety.Watermarking.Tests.TestSupport;
using Xunit.Abstractions;

namespace GenSafety.Watermarking.Tests.Images;

public sealed class ImageWatermarkFalsePositiveTests(ITestOutputHelper output)
{
    private const int Unmarked = 240;

    private static readonly ImageWatermarkOptions Options = new();
    private readonly ImageWatermarkDetector _detector = new(Options);
    private readonly WatermarkKeyRing _ring = TestKeys.Ring();

    private static RgbaImage Negative(int i)
    {
        var (width, height) = (i % 4) switch { 0 => (256, 256), 1 => (384, 256), 2 => (200, 300), _ => (320, 320) };
        return SyntheticImages.Generate(1000 + i, width, height);
    }

    [Fact]
    public void Detect_UnmarkedImages_NoDetectionAtTheTarget()
    {
        var results = new List<ImageWatermarkDetection>();
        for (var i = 0; i < Unmarked; i++)
        {
            results.Add(_detector.Detect(Negative(i), _ring.DetectionKeys("tenant-" + (i % 10), KeyPurpose.Image)));
        }

        var smallest = results.Min(r => r.PValue);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Unmarked} unmarked images × 4 keys × {results[0].Candidates} candidates: {results.Count(r => r.Detected)} detected; smallest family-wise p {smallest:E2}; largest tag agreement {results.Max(r => r.Test.Hits)}/{results[0].Test.Scored}"));
        Assert.DoesNotContain(results, r => r.Detected || r.RecordId is not null);
    }

    [Fact]
    public void Detect_UnmarkedImages_SingleCandidateTestFollowsTheExactNull()
    {
        // Without list decoding a key's test is one Binomial(tag sites, ½) draw per image: its z must be standard
        // normal and its flag rate at α must match the exact binomial size. This checks the dither really makes
        // site readings fair coins on content of every kind.
        var detector = new ImageWatermarkDetector(new ImageWatermarkOptions { ListDecodingBits = 0, MinGain = 1, MaxGain = 1 });
        var tests = new List<WatermarkTestResult>();
        for (var i = 0; i < Unmarked; i++)
        {
            var image = Negative(i);
            for (var t = 0; t < 5; t++)
            {
                tests.Add(detector.Detect(image, [_ring.Current("tenant-" + t, KeyPurpose.Image)]).Test);
            }
        }

        var alphas = new[] { 1e-1, 1e-2, 1e-3 };
        output.WriteLine(NullCalibration.Report(tests, alphas));
        NullCalibration.AssertMatchesNull(tests, alphas);
        var mean = tests.Average(r => r.Z);
        var sd = Math.Sqrt(tests.Sum(r => (r.Z - mean) * (r.Z - mean)) / (tests.Count - 1));
        Assert.InRange(mean, -0.15, 0.15);
        Assert.InRange(sd, 0.85, 1.15);
    }

    [Fact]
    public void Detect_UnmarkedImages_GainSearchKeepsTheSizeAtMostAlpha()
    {
        // The gain is chosen on id sites only, so each gain's tag test is still exact; the Bonferroni factor over the
        // gains must keep the flag rate at or below α.
        var detector = new ImageWatermarkDetector(new ImageWatermarkOptions { ListDecodingBits = 0 });
        var tests = new List<WatermarkTestResult>();
        for (var i = 0; i < Unmarked; i++)
        {
            var image = Negative(i);
            for (var t = 0; t < 5; t++)
            {
                tests.Add(detector.Detect(image, [_ring.Current("tenant-" + t, KeyPurpose.Image)]).Test);
            }
        }

        var alphas = new[] { 1e-1, 1e-2, 1e-3 };
        output.WriteLine(NullCalibration.Report(tests, alphas, exact: false));
        NullCalibration.AssertAtMostAlpha(tests, alphas);
    }

    [Fact]
    public void Detect_MarkedUnderAnotherKey_NoDetection()
    {
        var embedder = new ImageWatermarkEmbedder(Options);
        var otherMaster = TestKeys.Ring(fill: 99);
        var found = 0;
        for (var i = 0; i < 24; i++)
        {
            var image = SyntheticImages.Generate(i, 320, 320);
            var byGlobex = embedder.EmbedPixels(image, _ring.Current("globex", KeyPurpose.Image), (ulong)i);
            var byOtherGateway = embedder.EmbedPixels(image, otherMaster.Current("acme", KeyPurpose.Image), (ulong)i);
            found += _detector.Detect(byGlobex, _ring.DetectionKeys("acme", KeyPurpose.Image)).Detected ? 1 : 0;
            found += _detector.Detect(byOtherGateway, _ring.DetectionKeys("acme", KeyPurpose.Image)).Detected ? 1 : 0;
            Assert.True(_detector.Detect(byGlobex, _ring.DetectionKeys("globex", KeyPurpose.Image)).Detected);
        }

        Assert.Equal(0, found);
    }
}
