using System.Text;

namespace GenSafety.Detectors.Tests.Memorization;

/// <summary>Style transfers an extraction attack uses to slip a copy past an exact filter.</summary>
internal static class StyleVariants
{
    public static string Apply(string variant, string text) => variant switch
    {
        "upper" => text.ToUpperInvariant(),
        "spacing" => text.Replace(" ", "   ").Replace(". ", ".\n\n"),
        "homoglyphs" => text.Replace('a', '\u0430').Replace('e', '\u0435').Replace('o', '\u03BF').Replace('p', '\u0440').Replace('c', '\u0441'),
        "zero-width" => string.Join('\u200B', text.ToCharArray()),
        "punctuation" => text.Replace(",", ";").Replace(". ", "! ").Replace(" the ", " \u201Cthe\u201D "),
        "fullwidth" => Fullwidth(text),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, null),
    };

    private static string Fullwidth(string text)
    {
        var s = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            s.Append(c is > ' ' and <= '~' ? (char)(c - 0x21 + 0xFF01) : c);
        }

        return s.ToString();
    }

    public static readonly string[] All = ["upper", "spacing", "homoglyphs", "zero-width", "punctuation", "fullwidth"];
}
