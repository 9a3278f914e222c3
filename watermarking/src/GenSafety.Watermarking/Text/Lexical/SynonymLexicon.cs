using GenSafety.Watermarking.Corpus;

namespace GenSafety.Watermarking.Text.Lexical;

/// <summary>
/// Synonym groups for the <c>lexical</c> scheme: each lowercase word belongs to at most one group, so detection knows
/// a word's alternatives without context. The shipped lexicon (<see cref="Shared"/>) is built from WordNet 3.0.
/// </summary>
public sealed class SynonymLexicon
{
    private static readonly Lazy<SynonymLexicon> LazyShared = new(() => new SynonymLexicon(ShippedText.ReadLines("lexicon.txt")));

    private readonly string[][] _groups;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _groupOf;

    /// <summary>Builds a lexicon from lines of space-separated synonyms (a word in two lines is an error).</summary>
    /// <exception cref="ArgumentException">A group has fewer than two words or a word appears twice.</exception>
    public SynonymLexicon(IEnumerable<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var list = new List<string[]>();
        var groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in groups)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2)
            {
                throw new ArgumentException($"Synonym group '{line}' has fewer than two words.", nameof(groups));
            }

            foreach (var word in words)
            {
                if (!groupOf.TryAdd(word, list.Count))
                {
                    throw new ArgumentException($"'{word}' appears in more than one synonym group.", nameof(groups));
                }
            }

            list.Add(words);
        }

        _groups = [.. list];
        _groupOf = groupOf.GetAlternateLookup<ReadOnlySpan<char>>();
        WordCount = groupOf.Count;
    }

    /// <summary>The shipped WordNet lexicon.</summary>
    public static SynonymLexicon Shared => LazyShared.Value;

    /// <summary>Number of groups.</summary>
    public int GroupCount => _groups.Length;

    /// <summary>Number of words in all groups.</summary>
    public int WordCount { get; }

    /// <summary>Every group, in the lexicon's order (each word in exactly one).</summary>
    public IEnumerable<IReadOnlyList<string>> Groups => _groups;

    /// <summary>
    /// Each word mapped to the other words of its group: the form the dataset-inference synonym perturbation takes.
    /// </summary>
    public IReadOnlyDictionary<string, string[]> ToSynonymMap()
        => _groups.SelectMany(group => group.Select(word => (word, others: group.Where(w => w != word).ToArray())))
            .ToDictionary(pair => pair.word, pair => pair.others, StringComparer.Ordinal);

    /// <summary>The group of <paramref name="word"/> (the word itself included), if it has one.</summary>
    public bool TryGetGroup(ReadOnlySpan<char> word, out IReadOnlyList<string> group)
    {
        if (_groupOf.TryGetValue(word, out var index))
        {
            group = _groups[index];
            return true;
        }

        group = [];
        return false;
    }
}
