namespace GenSafety.Traffic.Text;

/// <summary>
/// ROUGE-L F-measure over lower-cased word tokens (longest common subsequence, β = 1), the similarity Alpaca's
/// generator uses to drop a new instruction that is too close (> 0.7) to one it already has.
/// </summary>
public static class RougeL
{
    /// <summary>ROUGE-L F1 of <paramref name="candidate"/> against <paramref name="reference"/>, in [0, 1].</summary>
    public static double F1(string candidate, string reference)
    {
        var a = Words(candidate);
        var b = Words(reference);
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var lcs = LongestCommonSubsequence(a, b);
        if (lcs == 0)
        {
            return 0;
        }

        var precision = lcs / (double)a.Length;
        var recall = lcs / (double)b.Length;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>Lower-cased words (letters and digits).</summary>
    public static string[] Words(string text) =>
        text.ToLowerInvariant().Split((char[])[' ', '\n', '\t', ',', '.', ';', ':', '!', '?', '"', '(', ')'], StringSplitOptions.RemoveEmptyEntries);

    private static int LongestCommonSubsequence(string[] a, string[] b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        foreach (var word in a)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = word == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
