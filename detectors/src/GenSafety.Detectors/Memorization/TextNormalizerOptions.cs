namespace GenSafety.Detectors.Memorization;

/// <summary>
/// What <see cref="TextNormalizer"/> folds away before text is hashed. Protected documents and the text checked
/// against them must be normalised with the same options (the index records their <see cref="Fingerprint"/>).
/// </summary>
public sealed record TextNormalizerOptions
{
    /// <summary>Drops punctuation (Unicode categories P*), so changed quotes, dashes or commas do not break a match. Default on.</summary>
    public bool RemovePunctuation { get; init; } = true;

    /// <summary>Drops combining marks after compatibility decomposition, so added or removed accents do not break a match. Default on.</summary>
    public bool StripDiacritics { get; init; } = true;

    /// <summary>Maps Cyrillic and Greek look-alikes of Latin letters to the Latin letter (see <see cref="Confusables"/>). Default on.</summary>
    public bool FoldHomoglyphs { get; init; } = true;

    /// <summary>
    /// For code: every identifier that is not a keyword of a common language becomes the single character
    /// <see cref="TextNormalizer.IdentifierPlaceholder"/>, so renamed variables still match. Default off: it makes
    /// unrelated code with the same shape match too.
    /// </summary>
    public bool CanonicalizeIdentifiers { get; init; }

    /// <summary>A number that changes whenever the normalised output of some text could change.</summary>
    public int Fingerprint =>
        (RemovePunctuation ? 1 : 0) | (StripDiacritics ? 2 : 0) | (FoldHomoglyphs ? 4 : 0) | (CanonicalizeIdentifiers ? 8 : 0)
        | (Confusables.TableVersion << 8) | (TextNormalizer.AlgorithmVersion << 16);
}
