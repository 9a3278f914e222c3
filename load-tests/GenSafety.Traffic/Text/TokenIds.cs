using Microsoft.ML.Tokenizers;

namespace GenSafety.Traffic.Text;

/// <summary>
/// cl100k_base token ids, as an API client that sets <c>logit_bias</c> looks them up (the tokenizer is public;
/// the model behind the API is not).
/// </summary>
public static class TokenIds
{
    private static readonly Lazy<TiktokenTokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    /// <summary>The id of <paramref name="text"/> when it is exactly one token, else null.</summary>
    public static int? Single(string text)
    {
        var ids = Tokenizer.Value.EncodeToIds(text);
        return ids.Count == 1 ? ids[0] : null;
    }

    /// <summary>
    /// Words of <paramref name="words"/> that are one token with a leading space (" word"), as (id, token text)
    /// pairs, in the order given, without repeated ids.
    /// </summary>
    public static List<(int Id, string Text)> SpacedWords(IEnumerable<string> words)
    {
        var seen = new HashSet<int>();
        var result = new List<(int, string)>();
        foreach (var word in words)
        {
            var text = " " + word;
            if (Single(text) is { } id && seen.Add(id))
            {
                result.Add((id, text));
            }
        }

        return result;
    }
}
