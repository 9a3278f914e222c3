namespace GenSafety.Detectors.Memorization;

/// <summary>A prefix-prompting signal.</summary>
/// <param name="Score">0 (none) to 1.</param>
/// <param name="MatchedCharacters">Normalised characters of the prompt confirmed as protected.</param>
/// <param name="DocumentId">The protected document, when attribution knows it (audit only).</param>
public readonly record struct ProtectedPrefixSignal(double Score, int MatchedCharacters, string? DocumentId)
{
    /// <summary>True when the prompt carries protected text.</summary>
    public bool IsFlagged => Score > 0;
}
