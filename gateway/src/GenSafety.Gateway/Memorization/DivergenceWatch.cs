using GenSafety.Detectors.Divergence;

namespace GenSafety.Gateway.Memorization;

/// <summary>What a stream session needs to watch its choices for divergence after a repeat-forever prompt.</summary>
/// <param name="Options">Detector settings.</param>
/// <param name="RepeatWord">The word the prompt asked to repeat, when it named one.</param>
/// <param name="Prompts">Where a divergence is reported.</param>
internal sealed record DivergenceWatch(StreamDivergenceOptions Options, string? RepeatWord, MemorizationPromptCheck Prompts)
{
    public StreamDivergenceDetector NewDetector() => new(Options, RepeatWord);
}
