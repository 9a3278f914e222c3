using GenSafety.ReferenceModel.Tests.TestHost;
using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Tests.Text;

public sealed class NGramLanguageModelTests
{
    private static readonly Cl100kTokenizer Tokenizer = Cl100kTokenizer.Shared;

    [Theory]
    [InlineData("")]
    [InlineData("Notes on animals. The word dog")]
    [InlineData("zzqx unseen words 12345 ∑")]
    public void Predict_AnyContext_SumsToOne(string text)
    {
        var model = TestCorpus.Default.Model;
        var context = new List<int> { model.EndOfDocument };
        context.AddRange(Tokenizer.Encode(text));
        var p = new double[model.Vocabulary.Count];

        var unseen = model.Predict(context.ToArray(), p);

        Assert.All(p, x => Assert.True(x > 0));
        Assert.True(unseen > 0);
        Assert.Equal(1.0, p.Sum() + (unseen * model.Vocabulary.UnseenCount), 9);
    }

    [Fact]
    public void Greedy_MemberPrefixes_RegurgitateMembers()
    {
        var members = TestCorpus.Corpus.Members;
        var reproduced = members.Count(m => GreedyContinuation(m.Text, 60) == m.Text);

        // Every member is trained on at least once; greedy decoding must give back (nearly) all of them.
        Assert.True(reproduced >= members.Count * 0.95, $"{reproduced}/{members.Count} members reproduced");
    }

    [Fact]
    public void Greedy_NonMemberPrefixes_DoNotReproduceNonMembers()
    {
        var nonMembers = TestCorpus.Corpus.NonMembers;
        var reproduced = nonMembers.Count(m => GreedyContinuation(m.Text, 60) == m.Text);

        Assert.Equal(0, reproduced);
    }

    [Fact]
    public void Train_ShippedCorpus_IsFastAndLarge()
    {
        var trained = TestCorpus.Default;

        Assert.True(trained.NGram.TokenCount > 200_000, $"{trained.NGram.TokenCount} tokens");
        Assert.True(trained.Corpus.Members.Count >= 100 && trained.Corpus.NonMembers.Count >= 100);
        Assert.True(trained.Corpus.Members.Count(m => m.Text.Length >= 200) >= 100);
        Assert.True(trained.TrainingTime < TimeSpan.FromSeconds(20), $"training took {trained.TrainingTime}");
    }

    private static string GreedyContinuation(string document, int prefixChars)
    {
        var prefix = TestCorpus.Prefix(document, prefixChars);
        var stream = new GenerationStream(TestCorpus.Default.Model, Tokenizer, Tokenizer.Encode(prefix), new SamplingSettings { Temperature = 0, MaxTokens = 600 }, 0);
        while (stream.TryStep(out _))
        {
        }

        return prefix + stream.Text;
    }
}
