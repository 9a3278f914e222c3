using GenSafety.Detectors.DatasetInference;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Tests.DatasetInference;

public sealed class DatasetInferenceAnalysisTests
{
    private static readonly string[] Names = ["loss", "zlib", "other"];
    private static readonly string[] Shared = ["river", "stone", "market", "winter", "garden", "letter", "window", "music", "bridge", "candle", "forest", "harbor"];
    private static readonly string[] Sports = ["match", "goal", "league", "striker", "coach", "season", "referee", "penalty", "stadium", "keeper", "trophy", "derby"];

    private static string Text(string[] vocabulary, DeterministicRandom random)
        => string.Join(' ', Enumerable.Range(0, 60).Select(_ => vocabulary[random.NextInt(vocabulary.Length)]));

    private static List<ScoredDocument> Documents(int n, double shift, string[] vocabulary, DeterministicRandom random)
        => [.. Enumerable.Range(0, n).Select(_ => new ScoredDocument(
            Text(vocabulary, random), [random.NextGaussian() - shift, random.NextGaussian() - (shift / 2), random.NextGaussian()]))];

    [Fact]
    public void SameWording_WithAMembershipSignal_IsEvidenceOfUse()
    {
        var random = new DeterministicRandom(1);
        var report = DatasetInferenceAnalysis.Analyze(Documents(80, 1.0, Shared, random), Documents(80, 0, Shared, random), Names, new DatasetInferenceOptions());
        Assert.Equal(DatasetInferenceVerdict.EvidenceOfUse, report.Verdict);
        Assert.InRange(report.BagOfWords.Auroc, 0.3, 0.65);
        Assert.NotNull(report.HeldoutSelfTest);
        Assert.True(report.HeldoutSelfTest!.PValue >= report.Alpha);
        Assert.Contains("does not say which documents", report.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void SameWording_WithoutSignal_IsNoEvidence()
    {
        var random = new DeterministicRandom(2);
        var report = DatasetInferenceAnalysis.Analyze(Documents(60, 0, Shared, random), Documents(60, 0, Shared, random), Names, new DatasetInferenceOptions());
        Assert.Equal(DatasetInferenceVerdict.NoEvidence, report.Verdict);
        Assert.Contains("does not show that the documents were not used", report.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void DifferentWording_IsConfounded_EvenWithASignal()
    {
        var random = new DeterministicRandom(3);
        var report = DatasetInferenceAnalysis.Analyze(Documents(60, 1.0, Shared, random), Documents(60, 0, Sports, random), Names, new DatasetInferenceOptions());
        Assert.Equal(DatasetInferenceVerdict.Confounded, report.Verdict);
        Assert.True(report.BagOfWords.Auroc > 0.95);
    }
}
