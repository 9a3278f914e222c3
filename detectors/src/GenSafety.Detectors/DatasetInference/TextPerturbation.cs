using System.Text;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.DatasetInference;

/// <summary>
/// The text perturbations of Maini et al. (2024)'s dataset inference: a member's likelihood drops more under a small
/// perturbation than a non-member's, so ln-perplexity(perturbed) − ln-perplexity(original) is a membership feature.
/// Each is seeded, so the same document is perturbed the same way on every run.
/// </summary>
public enum TextPerturbationKind
{
    /// <summary>Butter fingers: each letter becomes a keyboard neighbour with probability 5%.</summary>
    Typos,

    /// <summary>Each word is deleted with probability 10%.</summary>
    WordDeletion,

    /// <summary>Each letter's case is flipped with probability 10%.</summary>
    CharacterCase,

    /// <summary>Each space is doubled with probability 20%.</summary>
    Whitespace,

    /// <summary>Each space becomes an underscore with probability 10%.</summary>
    Underscore,

    /// <summary>Each word with an entry in the synonym lexicon is replaced by a synonym with probability 20%.</summary>
    Synonym,
}

/// <summary>Applies a <see cref="TextPerturbationKind"/>.</summary>
public static class TextPerturbation
{
    private static readonly string[] KeyboardRows = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

    /// <summary>
    /// <paramref name="text"/> perturbed by <paramref name="kind"/> with randomness from <paramref name="seed"/>.
    /// <see cref="TextPerturbationKind.Synonym"/> needs <paramref name="synonyms"/> (lower-case word → synonyms).
    /// </summary>
    public static string Apply(string text, TextPerturbationKind kind, ulong seed, IReadOnlyDictionary<string, string[]>? synonyms = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var random = new DeterministicRandom(seed);
        return kind switch
        {
            TextPerturbationKind.Typos => MapCharacters(text, c => char.IsAsciiLetter(c) && random.NextDouble() < 0.05 ? Neighbour(c, random) : c.ToString()),
            TextPerturbationKind.CharacterCase => MapCharacters(text, c => char.IsLetter(c) && random.NextDouble() < 0.1 ? FlipCase(c) : c.ToString()),
            TextPerturbationKind.Whitespace => MapCharacters(text, c => c == ' ' && random.NextDouble() < 0.2 ? "  " : c.ToString()),
            TextPerturbationKind.Underscore => MapCharacters(text, c => c == ' ' && random.NextDouble() < 0.1 ? "_" : c.ToString()),
            TextPerturbationKind.WordDeletion => DeleteWords(text, random),
            TextPerturbationKind.Synonym => ReplaceSynonyms(text, random, synonyms ?? throw new ArgumentException("The synonym perturbation needs a lexicon.", nameof(synonyms))),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown perturbation."),
        };
    }

    private static string MapCharacters(string text, Func<char, string> map)
    {
        var result = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            result.Append(map(c));
        }

        return result.ToString();
    }

    private static string FlipCase(char c) => (char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)).ToString();

    private static string Neighbour(char c, DeterministicRandom random)
    {
        var lower = char.ToLowerInvariant(c);
        foreach (var row in KeyboardRows)
        {
            var at = row.IndexOf(lower, StringComparison.Ordinal);
            if (at >= 0)
            {
                var next = at == 0 ? 1 : at == row.Length - 1 ? at - 1 : at + (random.NextDouble() < 0.5 ? -1 : 1);
                var replacement = row[next];
                return (char.IsUpper(c) ? char.ToUpperInvariant(replacement) : replacement).ToString();
            }
        }

        return c.ToString();
    }

    private static string DeleteWords(string text, DeterministicRandom random)
    {
        var words = text.Split(' ');
        var kept = words.Where(_ => random.NextDouble() >= 0.1).ToArray();
        return kept.Length == 0 ? words[0] : string.Join(' ', kept);
    }

    private static string ReplaceSynonyms(string text, DeterministicRandom random, IReadOnlyDictionary<string, string[]> synonyms)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var core = words[i].Trim('.', ',', ';', ':', '!', '?', '"', '\'', '(', ')');
            if (core.Length > 0 && synonyms.TryGetValue(core.ToLowerInvariant(), out var options) && options.Length > 0 && random.NextDouble() < 0.2)
            {
                var synonym = options[random.NextInt(options.Length)];
                words[i] = words[i].Replace(core, char.IsUpper(core[0]) ? char.ToUpperInvariant(synonym[0]) + synonym[1..] : synonym, StringComparison.Ordinal);
            }
        }

        return string.Join(' ', words);
    }
}
