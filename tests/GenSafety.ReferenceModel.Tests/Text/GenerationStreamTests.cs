using System.Text;
using GenSafety.ReferenceModel.Tests.TestHost;
using GenSafety.ReferenceModel.Text;

namespace GenSafety.ReferenceModel.Tests.Text;

public sealed class GenerationStreamTests
{
    private static readonly Cl100kTokenizer Tokenizer = Cl100kTokenizer.Shared;

    [Theory]
    [InlineData("It is a kind")]
    [InlineData(". ")]
    [InlineData("zz never appears")]
    public void TryStep_StopSequences_DeltasNeverShowTheStopAndSumToText(string stop)
    {
        var member = TestCorpus.Corpus.Members.First(m => m.Text.IndexOf("It is a kind", 100, StringComparison.Ordinal) > 0);
        var prefix = TestCorpus.Prefix(member.Text, 40);
        var settings = new SamplingSettings { Temperature = 0, MaxTokens = 400, Stop = [stop] };
        var stream = new GenerationStream(TestCorpus.Default.Model, Tokenizer, Tokenizer.Encode(prefix), settings, 0);
        var streamed = new StringBuilder();

        while (stream.TryStep(out var step))
        {
            streamed.Append(step.Delta);
            Assert.DoesNotContain(stop, streamed.ToString(), StringComparison.Ordinal);
        }

        var rest = member.Text[prefix.Length..];
        var at = rest.IndexOf(stop, StringComparison.Ordinal);
        Assert.Equal(stream.Text, streamed.ToString());
        Assert.Equal(at >= 0 ? rest[..at] : rest, stream.Text);
        Assert.Equal("stop", stream.FinishReason);
    }

    [Fact]
    public void TryStep_MaxTokens_FinishesWithLength()
    {
        var stream = new GenerationStream(TestCorpus.Default.Model, Tokenizer, Tokenizer.Encode("Notes on"), new SamplingSettings { Temperature = 0.8, MaxTokens = 7, Seed = 1 }, 9);

        var steps = 0;
        while (stream.TryStep(out var step))
        {
            steps += step.HasToken ? 1 : 0;
        }

        Assert.Equal("length", stream.FinishReason);
        Assert.Equal(7, stream.CompletionTokens);
        Assert.Equal(7, steps);
    }
}
