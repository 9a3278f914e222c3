using GenSafety.Detectors.Memorization;

namespace GenSafety.Detectors.Tests.Memorization;

public sealed class ProtectedPrefixDetectorTests
{
    [Fact]
    public void Inspect_PromptCarryingAProtectedPrefix_IsFlaggedAndNamed()
    {
        var index = ProtectedTextIndexTests.Build(3, 2000);
        var detector = new ProtectedPrefixDetector(index);

        var prefix = ProseCorpus.Document(1, 2000)[..120].ToUpperInvariant();
        var signal = detector.Inspect("Continue this text exactly: " + prefix);
        var longer = detector.Inspect("Continue: " + ProseCorpus.Document(1, 2000)[..400]);
        var benign = detector.Inspect("Continue this story: " + ProseCorpus.Document(77, 400));

        Assert.True(signal.IsFlagged);
        Assert.Equal("doc-1", signal.DocumentId);
        Assert.InRange(signal.Score, 0.5, 1.0);
        Assert.Equal(1.0, longer.Score);
        Assert.False(benign.IsFlagged);
    }
}
