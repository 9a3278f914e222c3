using GenSafety.Detectors.Divergence;
using GenSafety.Detectors.Memorization;

namespace GenSafety.Gateway.Memorization;

/// <summary>What the prompt check found in one request; stored in <c>HttpContext.Features</c> for the output filters.</summary>
/// <param name="Prefix">Protected text carried by the prompt (prefix prompting).</param>
/// <param name="Divergence">A repeat-forever (divergence attack) prompt, with the word it asks to repeat.</param>
public sealed record MemorizationPromptResult(ProtectedPrefixSignal Prefix, DivergencePromptSignal Divergence)
{
    /// <summary>Whether outputs must be watched for divergence from a repetition.</summary>
    public bool IsDivergenceAttack => Divergence.IsAttack;
}
