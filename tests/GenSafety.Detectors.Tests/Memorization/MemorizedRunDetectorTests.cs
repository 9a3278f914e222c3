using GenSafety.Detectors.Memorization;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Tests.Memorization;

public sealed class MemorizedRunDetectorTests
{
    private static readonly MemorizedRunDetector Detector = new(new MemorizedRunOptions());

    private static List<TokenLogprob> Tokens(string text, Func<int, double> logprob) =>
        text.Split(' ').Select((word, i) => new TokenLogprob(i == 0 ? word : " " + word, logprob(i))).ToList();

    [Fact]
    public void Inspect_LongNearCertainProseRun_IsMemorized()
    {
        var random = new DeterministicRandom(4);
        var text = ProseCorpus.Document(7, 800);
        var tokens = Tokens(text, i => i is >= 20 and < 110 ? -0.01 * random.NextDouble() : -1.5 - random.NextDouble());

        var signal = Detector.Inspect(tokens);

        Assert.True(signal.Memorized);
        Assert.Equal((20, 90), (signal.RunStartToken, signal.RunTokens));
        Assert.True(signal.ZlibRatio > 100, signal.ZlibRatio.ToString());
        Assert.Equal(0.9, signal.Score, 3);
    }

    [Fact]
    public void Inspect_NearCertainRepetition_IsNotMemorized()
    {
        var tokens = Tokens(string.Join(' ', Enumerable.Repeat("poem", 300)), _ => -0.001);

        var signal = Detector.Inspect(tokens);

        Assert.False(signal.Memorized);
        Assert.Equal(300, signal.RunTokens);
        Assert.True(signal.CompressedFraction < 0.3, signal.CompressedFraction.ToString());
    }

    [Fact]
    public void Inspect_OrdinarySampling_HasNoLongRun()
    {
        var random = new DeterministicRandom(5);
        var tokens = Tokens(ProseCorpus.Document(8, 2000), _ => random.NextDouble() < 0.6 ? -0.05 : -2.0);

        var signal = Detector.Inspect(tokens);

        Assert.False(signal.Memorized);
        Assert.True(signal.RunTokens < 50);
    }

    [Fact]
    public void Inspect_UncertainAlternatives_BreakTheRun()
    {
        var text = ProseCorpus.Document(9, 800);
        var tokens = text.Split(' ').Select((w, i) => new TokenLogprob(" " + w, -0.05, i % 30 == 29 ? [-0.05, -3.5, -3.6, -3.7, -3.8] : [-0.05, -8, -9])).ToList();

        Assert.Equal(29, Detector.Inspect(tokens).RunTokens);
    }
}
