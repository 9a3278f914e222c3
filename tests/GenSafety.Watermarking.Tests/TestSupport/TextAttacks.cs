using System.Text;
using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Text.Lexical;

namespace GenSafety.Watermarking.Tests.TestSupport;

/// <summary>
/// The edits of the text attack grid (docs/watermarking.md), each a pure function of the text and a seeded
/// <see cref="Random"/>: word deletion and insertion, synonym swaps through the shipped lexicon, copy-paste dilution
/// into human text, and the Unicode tricks (homoglyphs, zero-width characters, full-width forms).
/// </summary>
internal static class TextAttacks
{
    // Human words to insert.
    private static readonly Lazy<string[]> InsertWords = new(() =>
        [.. ShippedText.HumanDocuments.Take(100).SelectMany(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(w => w.Trim('.', ',', ';', ':', '(', ')', '"')).Where(w => w.Length > 0 && w.All(char.IsAsciiLetterLower))]);

    private static readonly Dictionary<char, char> Cyrillic = new()
    {
        ['a'] = 'а', ['c'] = 'с', ['e'] = 'е', ['o'] = 'о', ['p'] = 'р', ['x'] = 'х',
    };

    /// <summary>Drops each word with probability <paramref name="share"/>.</summary>
    public static string Delete(string text, double share, Random random) =>
        string.Join(' ', Words(text).Where(_ => random.NextDouble() >= share));

    /// <summary>After each word, with probability <paramref name="share"/>, inserts a random human word.</summary>
    public static string Insert(string text, double share, Random random)
    {
        var words = InsertWords.Value;
        var result = new List<string>();
        foreach (var word in Words(text))
        {
            result.Add(word);
            if (random.NextDouble() < share)
            {
                result.Add(words[random.Next(words.Length)]);
            }
        }

        return string.Join(' ', result);
    }

    /// <summary>
    /// Replaces each word that has synonyms in the shipped lexicon, with probability <paramref name="share"/>, by another
    /// member of its group chosen at random: the attack aimed straight at the lexical scheme's positions.
    /// </summary>
    public static string SynonymSwap(string text, double share, Random random)
    {
        var lexicon = SynonymLexicon.Shared;
        var result = new StringBuilder(text.Length);
        foreach (var segment in Segments(text))
        {
            var start = 0;
            while (start < segment.Length && !char.IsAsciiLetter(segment[start])) { start++; }
            var end = start;
            while (end < segment.Length && char.IsAsciiLetterLower(segment[end])) { end++; }
            if (end > start && lexicon.TryGetGroup(segment.AsSpan(start, end - start), out var group) && group.Count > 1 && random.NextDouble() < share)
            {
                var word = segment[start..end];
                var others = group.Where(w => w != word).ToArray();
                result.Append(segment[..start]).Append(others[random.Next(others.Length)]).Append(segment[end..]);
            }
            else
            {
                result.Append(segment);
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// Pastes the text into human text so that human words make up <paramref name="humanShare"/> of the result (half
    /// before, half after).
    /// </summary>
    public static string Dilute(string text, double humanShare, Random random)
    {
        var marked = Words(text).Length;
        var wanted = (int)Math.Round(marked * humanShare / (1 - humanShare));
        var human = ShippedText.HumanDocuments[random.Next(0, 300)].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Concat(ShippedText.HumanDocuments[random.Next(0, 300)].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Take(wanted).ToArray();
        var half = human.Length / 2;
        return string.Join(' ', human[..half]) + " " + text + " " + string.Join(' ', human[half..]);
    }

    /// <summary>Replaces each of a, c, e, o, p, x with its Cyrillic look-alike with probability <paramref name="share"/>.</summary>
    public static string Homoglyphs(string text, double share, Random random)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            result.Append(Cyrillic.TryGetValue(c, out var look) && random.NextDouble() < share ? look : c);
        }

        return result.ToString();
    }

    /// <summary>Puts a zero-width space (U+200B) inside each word of three or more letters with probability <paramref name="share"/>.</summary>
    public static string ZeroWidth(string text, double share, Random random)
    {
        var result = new StringBuilder(text.Length + 64);
        foreach (var segment in Segments(text))
        {
            if (segment.Count(char.IsLetter) >= 3 && random.NextDouble() < share)
            {
                var at = 1 + random.Next(segment.Length - 1);
                result.Append(segment[..at]).Append('\u200B').Append(segment[at..]);
            }
            else
            {
                result.Append(segment);
            }
        }

        return result.ToString();
    }

    /// <summary>Every ASCII letter as its full-width form (U+FF21…), which NFKC maps back.</summary>
    public static string FullWidth(string text) =>
        string.Concat(text.Select(c => char.IsAsciiLetter(c) ? (char)(c + 0xFEE0) : c));

    /// <summary>Word-level Levenshtein distance between the texts ÷ the words of <paramref name="before"/>.</summary>
    public static double WordEditRate(string before, string after)
    {
        var a = Words(before);
        var b = Words(after);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) { previous[j] = j; }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return a.Length == 0 ? 0 : previous[b.Length] / (double)a.Length;
    }

    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    // Whitespace-separated segments with their whitespace kept, so a rewrite keeps the layout.
    private static IEnumerable<string> Segments(string text)
    {
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || char.IsWhiteSpace(text[i]) != char.IsWhiteSpace(text[i - 1]))
            {
                yield return text[start..i];
                start = i;
            }
        }
    }
}
