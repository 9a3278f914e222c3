using System.Numerics;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.Coverage;
using Microsoft.Extensions.Options;
using static GenSafety.Gateway.Tests.Detection.DetectionTestData;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class B4BCoverageDetectorTests
{
    private static B4BCoverageDetector Detector(B4BCoverageOptions? options = null) => new(Options.Create(options ?? new B4BCoverageOptions()));

    private static float[] RandomUnit(Random random, int dimensions)
    {
        var v = new float[dimensions];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return [.. v.Select(x => x / norm)];
    }

    // What the pipeline and store do for a bitmap detector: Detect, OR the bits in, count per region, Score.
    private static DetectorResult Run(B4BCoverageDetector detector, byte[] stored, IReadOnlyList<QueryEvent> events, float[]?[]? vectors = null)
    {
        var input = new DetectorInput("t1", "c1", Start, events, vectors ?? new float[]?[events.Count], "hashing", ReadOnlyMemory<byte>.Empty);
        var observed = detector.Detect(input);
        for (var i = 0; i < (observed.State?.Length ?? 0); i++)
        {
            stored[i] |= observed.State![i];
        }

        long[] counts = [Count(stored.AsSpan(0, detector.RegionBytes)), Count(stored.AsSpan(detector.RegionBytes))];
        return detector.Score(input, observed, counts);
    }

    private static long Count(ReadOnlySpan<byte> bytes)
    {
        var count = 0L;
        foreach (var b in bytes)
        {
            count += BitOperations.PopCount(b);
        }

        return count;
    }

    [Fact]
    public void Detect_OneVectorRepeated_SameBitsAsEachVectorOnce()
    {
        var detector = Detector();
        var random = new Random(11);
        var repeated = RandomUnit(random, 256);
        var other = RandomUnit(random, 256);
        // The pipeline embeds equal prompts of a batch once: the same array comes back for each of them.
        float[]?[] many = [repeated, other, repeated, repeated, (float[])repeated.Clone(), other];
        float[]?[] once = [repeated, other];

        var fromMany = detector.Detect(new DetectorInput("t1", "c1", Start, [.. many.Select(_ => Chat("same"))], many, "hashing", ReadOnlyMemory<byte>.Empty));
        var fromOnce = detector.Detect(new DetectorInput("t1", "c1", Start, [.. once.Select(_ => Chat("same"))], once, "hashing", ReadOnlyMemory<byte>.Empty));

        Assert.Equal(fromOnce.State, fromMany.State);
        Assert.True(Count(fromMany.State.AsSpan(detector.RegionBytes)) > 0);
    }

    [Fact]
    public void Score_BroadReturnedEmbeddings_RaiseCoverageAndScore_AndReportCoverage()
    {
        var detector = Detector();
        var stored = new byte[B4BCoverageDetector.StateSize];
        var random = new Random(7);
        DetectorResult? result = null;
        for (var batch = 0; batch < 4; batch++)
        {
            result = Run(detector, stored, [.. Enumerable.Range(0, 25).Select(i => Embeddings($"text {i}", [.. Enumerable.Range(0, 32).Select(_ => RandomUnit(random, 384))]))]);
        }

        // 3,200 random directions: each projection sees ≈ 4096·(1 − e^(−3200/4096)) ≈ 2,220 buckets, 54 %.
        Assert.InRange(result!.EmbeddingCoverage!.Value, 0.5, 0.58);
        Assert.Equal(1, result.Score);
        Assert.Contains("returned embeddings 5", result.Reason);
    }

    [Fact]
    public void Score_OneTopic_StaysLow()
    {
        var random = new Random(3);
        var topic = RandomUnit(random, 384);
        var events = Enumerable.Range(0, 50).Select(i => Embeddings($"t{i}", [.. Enumerable.Range(0, 8).Select(_ =>
        {
            var noise = RandomUnit(random, 384);
            return topic.Zip(noise, (a, b) => a + (0.1f * b)).ToArray();
        })])).ToList();

        var result = Run(Detector(), new byte[B4BCoverageDetector.StateSize], events);

        Assert.True(result.EmbeddingCoverage < 0.02, $"coverage {result.EmbeddingCoverage}");
        Assert.Equal(0, result.Score);
    }

    [Fact]
    public void Detect_PromptVectors_GoToTheTopicRegion_NotToTheEmbeddingCoverage()
    {
        var random = new Random(5);
        var detector = Detector(new B4BCoverageOptions { PromptFreeCoverage = 0.01, PromptSaturatingCoverage = 0.1 });
        var stored = new byte[B4BCoverageDetector.StateSize];
        var events = Enumerable.Range(0, 400).Select(i => Chat($"q{i}")).ToList();

        var result = Run(detector, stored, events, [.. events.Select(_ => (float[]?)RandomUnit(random, 256))]);

        Assert.Null(result.EmbeddingCoverage);
        Assert.True(result.Score > 0.5, $"score {result.Score}");
        Assert.Equal(B4BCoverageDetector.StateSize, result.State!.Length);
        Assert.All(stored.Take(detector.RegionBytes), b => Assert.Equal(0, b));
        Assert.Contains(stored.Skip(detector.RegionBytes), b => b != 0);
    }

    [Fact]
    public void Detect_ReturnsOnlyThisBatchsBits_TwentyPerVector()
    {
        var detector = Detector();
        var random = new Random(11);

        var observed = detector.Detect(new DetectorInput("t1", "c1", Start, [Embeddings("a", [RandomUnit(random, 64)])], [null], "hashing", ReadOnlyMemory<byte>.Empty));

        Assert.Equal(DetectorStateMode.BitwiseOr, detector.Descriptor.StateMode);
        Assert.True(detector.Descriptor.ReadsReturnedEmbeddings);
        Assert.Equal(detector.RegionBytes, observed.State!.Length);
        Assert.Equal(20, Count(observed.State));
        Assert.True(detector.NeedsPromptVector(Chat("x")));
        Assert.False(detector.NeedsPromptVector(Embeddings("x", [])));
    }

    [Fact]
    public void Detect_NoUsableVectors_WritesNothing()
    {
        var detector = Detector();

        var result = Run(detector, new byte[B4BCoverageDetector.StateSize], [Chat("x"), Embeddings("empty", [new float[8]])]);

        Assert.Null(result.State);
        Assert.Null(result.EmbeddingCoverage);
        Assert.Equal(0, result.Score);
    }

    [Theory]
    [InlineData(0.5, 0.5, 0.25, 0.75)]
    [InlineData(0.1, 1.5, 0.25, 0.75)]
    [InlineData(0.1, 0.5, -0.1, 0.75)]
    public void Validator_BadRamp_Fails(double embeddingFree, double embeddingSaturating, double promptFree, double promptSaturating)
    {
        var options = new B4BCoverageOptions
        {
            EmbeddingFreeCoverage = embeddingFree, EmbeddingSaturatingCoverage = embeddingSaturating,
            PromptFreeCoverage = promptFree, PromptSaturatingCoverage = promptSaturating,
        };

        var result = new B4BCoverageOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.All(result.Failures!, f => Assert.StartsWith("GenSafety:Detection:Detectors:b4b-coverage:", f, StringComparison.Ordinal));
    }
}
