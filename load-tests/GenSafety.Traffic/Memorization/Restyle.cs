using System.Text;

namespace GenSafety.Traffic.Memorization;

/// <summary>
/// The style transfers an extraction attack asks for to slip past an exact-match filter: UPPER-CASE, spaced out
/// (extra spaces and line breaks between words), homoglyphs (Cyrillic and Greek look-alikes), changed punctuation,
/// and all four at once. Spelling, translation and letters spaced apart are out of the filter's scope and not here.
/// </summary>
public static class Restyle
{
    /// <summary>The variants, in report order.</summary>
    public static IReadOnlyList<string> Variants { get; } = ["upper", "spaced", "homoglyphs", "punctuation", "combined"];

    /// <summary><paramref name="text"/> in style <paramref name="variant"/>.</summary>
    public static string Apply(string variant, string text) => variant switch
    {
        "upper" => text.ToUpperInvariant(),
        "spaced" => text.Replace(" ", "   ", StringComparison.Ordinal).Replace(". ", ".\n\n", StringComparison.Ordinal),
        "homoglyphs" => Homoglyphs(text),
        "punctuation" => Punctuation(text),
        "combined" => Apply("spaced", Apply("punctuation", Homoglyphs(text.ToUpperInvariant()))),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "unknown restyle"),
    };

    private static string Homoglyphs(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            result.Append(c switch
            {
                'a' => '\u0430', 'e' => '\u0435', 'o' => '\u043E', 'p' => '\u0440', 'c' => '\u0441', 'x' => '\u0445',
                'A' => '\u0391', 'B' => '\u0392', 'E' => '\u0395', 'O' => '\u039F', 'T' => '\u03A4',
                _ => c,
            });
        }

        return result.ToString();
    }

    private static string Punctuation(string text)
    {
        var result = new StringBuilder(text.Length + 32);
        var quote = false;
        foreach (var c in text)
        {
            switch (c)
            {
                case '.':
                    result.Append(';');
                    break;
                case ',':
                    result.Append(" \u2014");
                    break;
                case ':':
                    result.Append(" -");
                    break;
                case '"':
                    result.Append(quote ? '\u201D' : '\u201C');
                    quote = !quote;
                    break;
                default:
                    result.Append(c);
                    break;
            }
        }

        return result.ToString();
    }
}
