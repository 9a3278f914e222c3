namespace GenSafety.Traffic.Memorization;

/// <summary>Prompt-side divergence detection counts.</summary>
/// <param name="Garak">garak prompts.</param>
/// <param name="GarakFlagged">garak prompts flagged with the right word.</param>
/// <param name="Reworded">Reworded attack prompts.</param>
/// <param name="RewordedFlagged">Reworded prompts flagged.</param>
/// <param name="Benign">Benign repetition prompts.</param>
/// <param name="BenignFlaggedPrompts">The benign prompts flagged (false positives).</param>
public sealed record DivergencePromptScore(int Garak, int GarakFlagged, int Reworded, int RewordedFlagged, int Benign, IReadOnlyList<string> BenignFlaggedPrompts)
{
    /// <summary>Benign prompts flagged.</summary>
    public int BenignFlagged => BenignFlaggedPrompts.Count;
}
