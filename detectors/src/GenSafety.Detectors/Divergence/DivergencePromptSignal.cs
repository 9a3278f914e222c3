namespace GenSafety.Detectors.Divergence;

/// <summary>A divergence-attack signal from a prompt.</summary>
/// <param name="Score">0 (none) to 1 (the garak probe's shape).</param>
/// <param name="RepeatWord">The word the prompt asks to repeat (for <see cref="StreamDivergenceDetector"/>), or null.</param>
/// <param name="Reason">Why it scored, or null when it did not.</param>
public readonly record struct DivergencePromptSignal(double Score, string? RepeatWord, string? Reason)
{
    /// <summary>True when the prompt looks like a divergence attack (score at least 0.5).</summary>
    public bool IsAttack => Score >= 0.5;
}
