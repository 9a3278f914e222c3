using GenSafety.Gateway.Detection.Fusion;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class AnalyticRiskFusionTests
{
    private static readonly AnalyticRiskFusion Fusion = new();

    [Fact]
    public void Fuse_NoisyOrOfWeightedScores()
    {
        var fused = Fusion.Fuse([new("api-surface", 0.8, 1, "a"), new("b4b-coverage", 0.5, 0.4, "b")]);

        // 1 − (1 − 0.8)(1 − 0.4·0.5) = 1 − 0.2·0.8 = 0.84
        Assert.Equal(0.84, fused.Score, 12);
        Assert.Equal([("api-surface", 0.8), ("b4b-coverage", 0.2)], fused.Contributions.Select(c => (c.Detector, Math.Round(c.Score, 12))));
        Assert.Equal("noisy-OR of api-surface 0.8, b4b-coverage 0.2", fused.Reason);
    }

    [Fact]
    public void Fuse_OneSignal_IsItsWeightedScore()
        => Assert.Equal(0.45, Fusion.Fuse([new("x", 0.9, 0.5, "r")]).Score, 12);

    [Fact]
    public void Fuse_ZeroWeightOrScore_ContributesNothing()
    {
        var fused = Fusion.Fuse([new("muted", 1, 0, "r"), new("quiet", 0, 1, "r")]);

        Assert.Equal(0, fused.Score);
        Assert.Empty(fused.Contributions);
        Assert.Equal("no detector signal", fused.Reason);
    }

    [Fact]
    public void Fuse_AgreeingDetectors_RiseAboveEachAlone()
    {
        var fused = Fusion.Fuse([new("a", 0.5, 1, "r"), new("b", 0.5, 1, "r"), new("c", 0.5, 1, "r")]);

        Assert.Equal(0.875, fused.Score, 12);
    }

    [Fact]
    public void Fuse_ContributionsSortedLargestFirst()
    {
        var fused = Fusion.Fuse([new("low", 0.1, 1, "r"), new("high", 0.9, 1, "r"), new("mid", 0.5, 1, "r")]);

        Assert.Equal(["high", "mid", "low"], fused.Contributions.Select(c => c.Detector));
    }
}
