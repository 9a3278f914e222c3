using GenSafety.Detectors.Embeddings;
using GenSafety.Detectors.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Tests.Embeddings;

public sealed class HashingEmbedderTests
{
    // Non-zero entries of two vectors, as an independent (Python) implementation of the documented algorithm prints
    // them (see Embed_FixedInputs_StableAcrossProcessesAndVersions).
    private const string ExpectedAbc =
        "5:0.1961 10:0.1961 19:0.1961 38:0.1961 41:-0.1961 61:-0.1961 64:0.1961 68:-0.1961 73:0.3922 88:-0.1961 " +
        "121:-0.1961 141:-0.1961 145:-0.1961 154:0.1961 162:-0.1961 166:-0.1961 193:-0.1961 194:0.1961 197:0.1961 " +
        "208:0.1961 217:0.1961 233:-0.1961 243:-0.1961";

    private const string ExpectedHiThere =
        "0:0.0913 1:-0.0913 3:0.0913 4:0.0913 5:0.1826 9:0.0913 11:0.0913 12:-0.0913 13:-0.0913 14:0.0913 15:-0.0913 " +
        "17:0.0913 20:0.2739 21:0.0913 24:-0.0913 25:0.1826 26:0.1826 28:0.0913 29:-0.0913 31:-0.0913 32:0.0913 " +
        "33:0.0913 34:-0.0913 35:-0.0913 36:-0.0913 38:-0.0913 39:0.1826 40:0.0913 41:-0.0913 42:-0.0913 43:-0.0913 " +
        "45:0.0913 46:0.0913 47:-0.0913 48:-0.0913 50:-0.1826 52:-0.0913 53:0.0913 54:0.0913 56:0.0913 57:0.0913 " +
        "58:-0.1826 59:0.1826 61:0.1826 62:0.0913 64:0.0913 67:0.0913 68:-0.0913 69:-0.0913 70:-0.0913 72:0.0913 " +
        "74:0.0913 75:0.0913 77:-0.0913 78:0.0913 82:-0.0913 83:-0.0913 84:0.0913 85:0.0913 86:0.1826 87:0.1826 " +
        "89:0.0913 90:-0.0913 93:-0.1826 95:-0.1826 96:0.0913 97:0.2739 98:0.0913";

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

    [Theory]
    [InlineData("abc", 256, 4, 42L, ExpectedAbc)]
    [InlineData("Hi there", 100, 6, -7L, ExpectedHiThere)]
    public void Embed_FixedInputs_StableAcrossProcessesAndVersions(string text, int dimensions, int nonZeros, long seed, string expected)
    {
        // Stored vectors and per-client state in Redis depend on these exact values: a change to the hashing or the
        // projection must be deliberate (and migrate state), never a side effect. "abc" (defaults): " abc " has six
        // 3- to 5-grams of 4 entries of ±1/√4; two of the 24 share a position and sign. "Hi there": 6 entries per
        // n-gram (a second hash word), and a dimension count that is not a power of two.
        var embedder = new HashingEmbedder(new HashingEmbedderOptions { Dimensions = dimensions, NonZerosPerNgram = nonZeros, Seed = seed });

        var vector = embedder.Embed(text);

        var nonZero = vector.Select((v, i) => (i, v)).Where(e => e.v != 0).Select(e => $"{e.i}:{e.v:F4}");
        Assert.Equal(expected, string.Join(' ', nonZero));
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
