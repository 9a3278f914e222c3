using System.Text;
using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Tests.Memorization;

/// <summary>Seeded English-like prose (protected documents and benign outputs drawn from the same vocabulary).</summary>
internal static class ProseCorpus
{
    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not",
        "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they", "you", "were",
        "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when", "will", "would",
        "who", "so", "no", "river", "garden", "window", "morning", "letter", "silver", "harbour", "quiet", "winter",
        "journey", "promise", "lantern", "forest", "village", "stone", "bridge", "season", "candle", "mountain",
        "whisper", "ancient", "market", "shadow", "library", "captain", "orchard", "thunder", "meadow", "council",
    ];

    public static string Document(long seed, int minChars)
    {
        var random = new DeterministicRandom(DeterministicRandom.Derive(seed, 17));
        var text = new StringBuilder();
        var sentence = 0;
        while (text.Length < minChars)
        {
            var word = Words[random.NextInt(Words.Length)];
            text.Append(sentence == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
            sentence++;
            if (sentence > 6 && random.NextInt(8) == 0)
            {
                text.Append(random.NextInt(3) == 0 ? ", " : ". ");
                sentence = random.NextInt(3) == 0 ? 1 : 0;
            }
            else
            {
                text.Append(' ');
            }
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>Longest common substring length of two strings (dynamic programming).</summary>
    public static int LongestCommonSubstring(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        var best = 0;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : 0;
                best = Math.Max(best, current[j]);
            }

            (previous, current) = (current, previous);
        }

        return best;
    }
}
