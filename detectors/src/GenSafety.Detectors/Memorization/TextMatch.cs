namespace GenSafety.Detectors.Memorization;

/// <summary>
/// The longest chain of indexed n-grams found in a text: <see cref="Chunks"/> consecutive stride-w hits confirm the
/// normalised span [<see cref="NormalizedStart"/>, <see cref="NormalizedEnd"/>). The verbatim copy may reach up to
/// w − 1 characters further on each side (those characters belong to no whole indexed n-gram), which
/// <see cref="PossibleSourceStart"/> and <see cref="PossibleSourceEnd"/> include, for redaction.
/// </summary>
/// <param name="Chunks">Consecutive indexed n-grams in the chain (0: no match).</param>
/// <param name="NgramWidth">Width w of the n-grams.</param>
/// <param name="NormalizedStart">Start of the confirmed span in the normalised text.</param>
/// <param name="SourceStart">Offset in the original text where the confirmed span starts.</param>
/// <param name="SourceEnd">Offset in the original text where the confirmed span ends (exclusive).</param>
/// <param name="PossibleSourceStart">Original offset where the copy may start (w − 1 normalised characters earlier, clipped).</param>
/// <param name="PossibleSourceEnd">Original offset where the copy may end (w − 1 normalised characters later, clipped).</param>
/// <param name="ExceedsThreshold">True when the chain is long enough that a span of the stop threshold cannot be ruled out.</param>
/// <param name="DocumentId">The matched protected document, when attribution knows it; for audit only, never for the client.</param>
public sealed record TextMatch(
    int Chunks,
    int NgramWidth,
    int NormalizedStart,
    int SourceStart,
    int SourceEnd,
    int PossibleSourceStart,
    int PossibleSourceEnd,
    bool ExceedsThreshold,
    string? DocumentId)
{
    /// <summary>Normalised characters confirmed as copied (Chunks × w).</summary>
    public int Length => Chunks * NgramWidth;

    /// <summary>End of the confirmed span in the normalised text (exclusive).</summary>
    public int NormalizedEnd => NormalizedStart + Length;

    /// <summary>True when at least one indexed n-gram occurs in the text.</summary>
    public bool IsMatch => Chunks > 0;

    /// <summary>No indexed n-gram in the text.</summary>
    public static TextMatch None(int ngramWidth) => new(0, ngramWidth, 0, 0, 0, 0, 0, false, null);
}
