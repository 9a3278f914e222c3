using GenSafety.Detectors.Randomness;
using GenSafety.ReferenceModel.Tests.TestHost;
using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Tests.Text;

public sealed class TokenDistributionTests
{
    private static readonly Cl100kTokenizer Tokenizer = Cl100kTokenizer.Shared;
    private static readonly LanguageModel Model = TestCorpus.Default.Model;

    private static int[] Context(string text) => [Model.EndOfDocument, .. Tokenizer.Encode(text)];

    [Fact]
    public void LogProbability_WithBias_AllTokensSumToOne()
    {
        var zebra = Tokenizer.Encode(" zebra")[0];
        var unseen = Enumerable.Range(0, Tokenizer.OrdinaryTokenCount).First(t => Model.Vocabulary.SlotOf(t) < 0);
        var distribution = new TokenDistribution(Model, Tokenizer, new Dictionary<int, double> { [zebra] = 5, [unseen] = 3, [Model.EndOfDocument] = -100 });
        distribution.Compute(Context("Notes on animals. The word"));

        var total = 0.0;
        for (var token = 0; token < Tokenizer.OrdinaryTokenCount; token++)
        {
            total += Math.Exp(distribution.LogProbability(token));
        }

        total += Math.Exp(distribution.LogProbability(Model.EndOfDocument));
        Assert.Equal(1.0, total, 6);
        Assert.True(distribution.LogProbability(Model.EndOfDocument) < -90);
    }

    [Theory]
    [InlineData("Notes on animals. The word", false)]
    [InlineData("Notes on plants.", true)]
    public void LogprobMoments_EqualTheSumsOverEveryToken(string context, bool biased)
    {
        var zebra = Tokenizer.Encode(" zebra")[0];
        var unseen = Enumerable.Range(0, Tokenizer.OrdinaryTokenCount).First(t => Model.Vocabulary.SlotOf(t) < 0);
        var distribution = new TokenDistribution(Model, Tokenizer, biased ? new Dictionary<int, double> { [zebra] = 5, [unseen] = 3 } : null);
        distribution.Compute(Context(context));

        double mean = 0, square = 0;
        foreach (var token in Enumerable.Range(0, Tokenizer.OrdinaryTokenCount).Append(Model.EndOfDocument))
        {
            var logp = distribution.LogProbability(token);
            mean += Math.Exp(logp) * logp;
            square += Math.Exp(logp) * logp * logp;
        }

        var (fastMean, fastDeviation) = distribution.LogprobMoments();
        Assert.Equal(mean, fastMean, 1e-6);
        Assert.Equal(Math.Sqrt(square - (mean * mean)), fastDeviation, 1e-6);
    }

    [Fact]
    public void Sample_SameSeed_SameTokens()
    {
        int[] Draw(ulong seed)
        {
            var random = new DeterministicRandom(seed);
            var distribution = new TokenDistribution(Model, Tokenizer, null);
            distribution.Compute(Context("Notes on plants."));
            return Enumerable.Range(0, 50).Select(_ => distribution.Sample(random, 1.3, 0.95)).ToArray();
        }

        Assert.Equal(Draw(5), Draw(5));
        Assert.NotEqual(Draw(5), Draw(6));
    }

    [Fact]
    public void Sample_TinyTopP_AlwaysTheMostLikelyToken()
    {
        var distribution = new TokenDistribution(Model, Tokenizer, null);
        distribution.Compute(Context("Notes on plants. The word"));
        var random = new DeterministicRandom(1);

        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(distribution.Greedy(), distribution.Sample(random, 1, 1e-9)));
    }

    [Fact]
    public void Sample_LowTemperatureWithForcingBias_NoOverflow()
    {
        var zebra = Tokenizer.Encode(" zebra")[0];
        var distribution = new TokenDistribution(Model, Tokenizer, new Dictionary<int, double> { [zebra] = 100 });
        distribution.Compute(Context("Notes on plants."));

        Assert.Equal(zebra, distribution.Sample(new DeterministicRandom(2), 0.01, 1));
        Assert.Equal(zebra, distribution.Greedy());
        Assert.True(distribution.LogProbability(zebra) > -1e-6);
    }

    [Fact]
    public void Top_Requested_SortedAndConsistentWithLogProbability()
    {
        var distribution = new TokenDistribution(Model, Tokenizer, null);
        distribution.Compute(Context("Notes on food and drink. By"));
        var top = new (int Token, double Logprob)[20];

        var count = distribution.Top(top);

        Assert.Equal(20, count);
        Assert.Equal(top.Select(t => t.Logprob).OrderByDescending(x => x), top.Select(t => t.Logprob));
        Assert.All(top, t => Assert.Equal(distribution.LogProbability(t.Token), t.Logprob, 12));
        Assert.Equal(distribution.Greedy(), top[0].Token);
    }
}
