using GenSafety.Detectors.Embeddings;
using GenSafety.Detectors.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Tests.Embeddings;

public sealed class HashingEmbedderTests
{
    // Non-zero entries of the seed-42 vector of "abc" (see Embed_Seed42_StableAcrossProcessesAndVersions).
    private const string ExpectedAbc =
        "10:-0.3922 20:-0.1961 26:-0.1961 32:0.1961 42:0.1961 63:0.1961 64:-0.1961 73:0.1961 94:-0.1961 97:-0.1961 " +
        "123:-0.1961 129:0.1961 134:-0.1961 158:-0.1961 162:0.1961 182:0.1961 187:0.1961 188:-0.1961 204:0.1961 " +
        "208:0.1961 235:-0.1961 245:0.1961 253:0.1961";

    private readonly HashingEmbedder _embedder = new(new HashingEmbedderOptions());

    [Fact]
    public void Embed_Text_UnitVectorOfConfiguredDimensions()
    {
        var vector = _embedder.Embed("Summarise this article about renewable energy in three sentences.");

        Assert.Equal(256, vector.Length);
        Assert.Equal(1.0, Vectors.Norm(vector), 5);
        Assert.Equal(EmbedderNames.Hashing, _embedder.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n ")]
    public void Embed_EmptyOrWhitespace_ZeroVector(string text)
    {
        Assert.All(_embedder.Embed(text), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Embed_SameSeedInAnotherInstance_IdenticalVector()
    {
        const string Text = "Translate 'good morning' into French, please.";

        var other = new HashingEmbedder(new HashingEmbedderOptions { Seed = 42 });

        Assert.Equal(_embedder.Embed(Text), other.Embed(Text));
    }

    [Fact]
    public void Embed_DifferentSeed_DifferentProjection()
    {
        const string Text = "Translate 'good morning' into French, please.";

        var other = new HashingEmbedder(new HashingEmbedderOptions { Seed = 43 });

        Assert.True(Vectors.Cosine(_embedder.Embed(Text), other.Embed(Text)) < 0.5);
    }

    [Fact]
    public void Embed_Seed42_StableAcrossProcessesAndVersions()
    {
        // Stored vectors and per-client state in Redis depend on these exact values: a change to the hashing or the
        // projection must be deliberate (and migrate state), never a side effect. The expected values come from an
        // independent (Python) implementation of the documented algorithm: " abc " has six 3- to 5-grams of 4
        // entries of ±1/√4 each; two of the 24 land on the same position with the same sign.
        var vector = _embedder.Embed("abc");

        var nonZero = vector.Select((v, i) => (i, v)).Where(e => e.v != 0).Select(e => $"{e.i}:{e.v:F4}");
        Assert.Equal(ExpectedAbc, string.Join(' ', nonZero));
    }

    [Fact]
    public void Embed_NearDuplicate_MoreSimilarThanUnrelated()
    {
        var original = _embedder.Embed("The quick brown fox jumps over the lazy dog near the river bank.");
        var nearDuplicate = _embedder.Embed("The quick brown fox jumped over the lazy dogs near the river bank!");
        var unrelated = _embedder.Embed("Quarterly revenue in Europe grew by twelve percent year over year.");

        Assert.True(Vectors.Cosine(original, nearDuplicate) > 0.8);
        Assert.True(Vectors.Cosine(original, unrelated) < 0.3);
    }

    [Fact]
    public void Embed_CaseAndWhitespaceVariants_SameVector()
    {
        Assert.Equal(_embedder.Embed("hello world"), _embedder.Embed("  Hello \t\n  WORLD "));
    }

    [Fact]
    public void Embed_LowerCaseDisabled_CaseMatters()
    {
        var embedder = new HashingEmbedder(new HashingEmbedderOptions { LowerCase = false });

        Assert.NotEqual(embedder.Embed("hello world"), embedder.Embed("Hello World"));
    }

    [Fact]
    public void Embed_BeyondMaxCharacters_Ignored()
    {
        var embedder = new HashingEmbedder(new HashingEmbedderOptions { MaxCharacters = 100 });
        var head = string.Concat(Enumerable.Repeat("abcdefghij", 10));

        Assert.Equal(embedder.Embed(head), embedder.Embed(head + " and a tail that is never read"));
        Assert.NotEqual(embedder.Embed(head[..90]), embedder.Embed(head));
    }

    [Fact]
    public void Embed_LongText_UsesPooledBufferAndMatchesStringOverload()
    {
        var text = string.Join(' ', Enumerable.Range(0, 500).Select(i => $"token{i}"));
        var destination = new float[256];

        _embedder.Embed(text.AsSpan(), destination);

        Assert.Equal(_embedder.Embed(text), destination);
        Assert.Equal(1.0, Vectors.Norm(destination), 5);
    }

    [Fact]
    public void Embed_WrongDestinationLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => _embedder.Embed("text".AsSpan(), new float[255]));
    }

    [Fact]
    public async Task EmbedAsync_Batch_MatchesSingleEmbeddings()
    {
        string[] texts = ["first prompt", "", "a third, longer prompt about databases"];

        var vectors = await _embedder.EmbedAsync(texts);

        Assert.Equal(texts.Length, vectors.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(_embedder.Embed(texts[i]), vectors[i]);
        }
    }

    [Fact]
    public async Task EmbedAsync_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _embedder.EmbedAsync(["x"], cancellation.Token));
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var error = Assert.Throws<OptionsValidationException>(() => new HashingEmbedder(new HashingEmbedderOptions { Dimensions = 8, MinNgram = 0 }));

        Assert.Equal(2, error.Failures.Count());
    }
}
