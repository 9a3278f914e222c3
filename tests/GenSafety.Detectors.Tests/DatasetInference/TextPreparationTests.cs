using GenSafety.Detectors.DatasetInference;

namespace GenSafety.Detectors.Tests.DatasetInference;

public sealed class TextPreparationTests
{
    private static string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(i => $"w{i}"));

    [Theory]
    [InlineData(0, new int[0])]
    [InlineData(37, new[] { 37 })]
    [InlineData(200, new[] { 200 })]
    [InlineData(201, new[] { 100, 101 })]
    [InlineData(450, new[] { 150, 150, 150 })]
    public void Chunk_CutsIntoChunksOf100To200Words(int words, int[] expected)
    {
        var chunks = DocumentChunker.Chunk("  " + Words(words).Replace(" ", "  \n", StringComparison.Ordinal));
        Assert.Equal(expected, chunks.Select(c => c.Split(' ').Length).ToArray());
        Assert.Equal(Words(words), string.Join(' ', chunks));
    }

    [Theory]
    [InlineData(TextPerturbationKind.Typos)]
    [InlineData(TextPerturbationKind.WordDeletion)]
    [InlineData(TextPerturbationKind.CharacterCase)]
    [InlineData(TextPerturbationKind.Whitespace)]
    [InlineData(TextPerturbationKind.Underscore)]
    [InlineData(TextPerturbationKind.Synonym)]
    public void Perturbations_AreSeededAndChangeTheText(TextPerturbationKind kind)
    {
        var text = string.Join(' ', Enumerable.Repeat("The quick brown fox jumps over the lazy dog and runs far away.", 10));
        var synonyms = new Dictionary<string, string[]> { ["quick"] = ["fast", "rapid"], ["lazy"] = ["idle"], ["runs"] = ["sprints"] };
        var once = TextPerturbation.Apply(text, kind, 5, synonyms);
        Assert.Equal(once, TextPerturbation.Apply(text, kind, 5, synonyms));
        Assert.NotEqual(text, once);
        Assert.NotEqual(once, TextPerturbation.Apply(text, kind, 6, synonyms));
    }

    [Fact]
    public void Synonym_WithoutALexicon_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => TextPerturbation.Apply("text", TextPerturbationKind.Synonym, 1));
    }
}
