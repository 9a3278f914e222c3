using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GenSafety.Watermarking.Ledger;

/// <summary>
/// The normal form outputs are hashed and sketched in: compatibility folding (full-width ASCII forms and Latin
/// ligatures, the part of NFKC that matters for text watermarks; the gateway runs with invariant globalization, where
/// <see cref="string.Normalize()"/> has no Unicode tables), Cyrillic and Greek letters that look like Latin ones mapped
/// to them, format characters removed (zero-width spaces and joiners, BOM, bidi marks), lowercase, whitespace runs
/// collapsed to one space, trimmed. It is approximate: homoglyphs outside that table stay distinct.
/// </summary>
public static class OutputNormalizer
{
    /// <summary>The normal form of <paramref name="text"/>.</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            AppendFolded(builder, c, keepCase: false);
        }

        return builder.ToString();
    }

    /// <summary>
    /// What the watermark detectors read: the text with the normal form's folding — format characters (zero-width
    /// spaces and joiners, BOM, bidi marks) removed, full-width ASCII forms, Latin ligatures and Cyrillic and Greek
    /// look-alikes mapped to Latin — but with case and white space kept, so invisible characters and look-alike
    /// letters inserted into a marked text do not hide its mark. ASCII text is returned as is.
    /// </summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (System.Text.Ascii.IsValid(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                AppendFolded(builder, c, keepCase: true);
            }
        }

        return builder.ToString();
    }

    // Capitals whose look-alike differs from the capital of their lowercase letter's look-alike (Greek Eta looks like H,
    // its lowercase like n).
    private static readonly Dictionary<char, char> CapitalLookAlikes = new()
    {
        ['Η'] = 'H', ['Ν'] = 'N', ['Μ'] = 'M', ['Υ'] = 'Y', ['Н'] = 'H',
    };

    /// <summary>Latin look-alikes (lowercase after folding) of Cyrillic and Greek letters.</summary>
    private static readonly Dictionary<char, char> LookAlikes = new()
    {
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p',
        ['с'] = 'c', ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['ѕ'] = 's', ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j', ['ԁ'] = 'd',
        ['ԛ'] = 'q', ['ԝ'] = 'w', ['α'] = 'a', ['ο'] = 'o', ['ν'] = 'v', ['ι'] = 'i', ['κ'] = 'k', ['ρ'] = 'p', ['τ'] = 't',
        ['υ'] = 'u', ['χ'] = 'x', ['ε'] = 'e', ['β'] = 'b', ['η'] = 'n', ['ζ'] = 'z', ['μ'] = 'u',
    };

    private static void AppendFolded(StringBuilder builder, char c, bool keepCase)
    {
        if (c is >= '\uFF01' and <= '\uFF5E')
        {
            c = (char)(c - 0xFEE0); // full-width ASCII
        }

        var folded = c switch
        {
            '\uFB00' => "ff",
            '\uFB01' => "fi",
            '\uFB02' => "fl",
            '\uFB03' => "ffi",
            '\uFB04' => "ffl",
            '\uFB05' or '\uFB06' => "st",
            _ => null,
        };
        if (folded is not null)
        {
            builder.Append(folded);
            return;
        }

        var lower = char.ToLowerInvariant(c);
        if (!keepCase)
        {
            builder.Append(LookAlikes.TryGetValue(lower, out var latin) ? latin : lower);
        }
        else if (CapitalLookAlikes.TryGetValue(c, out var capital))
        {
            builder.Append(capital);
        }
        else if (LookAlikes.TryGetValue(lower, out var look))
        {
            builder.Append(lower == c ? look : char.ToUpperInvariant(look));
        }
        else
        {
            builder.Append(c);
        }
    }

    /// <summary>SHA-256 of the UTF-8 normal form, lowercase hex (the ledger's exact-match key and the receipt's output hash).</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(text))));
}
