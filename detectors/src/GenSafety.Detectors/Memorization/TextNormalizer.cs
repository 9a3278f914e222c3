namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Normalises text before it is hashed so that style changes do not hide a verbatim copy: compatibility
/// decomposition (NFKD, which identifies exactly the strings NFKC identifies, and composes nothing across a stream's
/// chunk boundaries), removal of format characters (zero-width spaces and joiners, BOM, soft hyphen, bidi controls)
/// and of variation selectors, optional removal of diacritics and punctuation, homoglyph folding
/// (<see cref="Confusables"/>), case folding (<c>ß</c> becomes <c>ss</c>), optional identifier canonicalisation
/// for code, and whitespace collapsing (runs become one space; leading and trailing whitespace go).
/// </summary>
public static class TextNormalizer
{
    /// <summary>Changes whenever the algorithm changes (part of <see cref="TextNormalizerOptions.Fingerprint"/>).</summary>
    public const int AlgorithmVersion = 1;

    /// <summary>What every non-keyword identifier becomes under <see cref="TextNormalizerOptions.CanonicalizeIdentifiers"/>.</summary>
    public const char IdentifierPlaceholder = 'v';

    /// <summary>Normalises <paramref name="text"/> in one go, with the map back to original offsets.</summary>
    public static NormalizedText Normalize(string text, TextNormalizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new IncrementalNormalizer(options);
        stream.Append(text);
        stream.Complete();
        var output = stream.Output;
        var offsets = stream.OutputOffsets;
        var starts = new int[offsets.Length];
        for (var i = 0; i < starts.Length; i++)
        {
            starts[i] = (int)offsets[i];
        }

        return new NormalizedText(new string(output), starts, text.Length);
    }
}
