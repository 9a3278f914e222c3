using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Identity;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// Looks for memorised runs in the logprobs returned to one client (<see cref="MemorizedRunDetector"/>) and reports
/// each choice that has one as a <c>memorized_run</c> risk signal. The output itself passes: its text goes through the
/// protected-text index like any other; the signal is about the client collecting recitations.
/// </summary>
internal sealed class LogprobRunWatch(MemorizedRunDetector detector, MemorizationPromptCheck prompts, MemorizationMetrics metrics, ClientIdentity? identity)
{
    /// <summary>Inspects one choice's tokens; true when a memorised run was found and reported.</summary>
    public bool Inspect(IReadOnlyList<TokenLogprob> tokens)
    {
        if (tokens.Count < 2)
        {
            return false;
        }

        metrics.Checked("logprobs");
        var run = detector.Inspect(tokens);
        if (!run.Memorized)
        {
            return false;
        }

        metrics.Hit("logprobs");
        prompts.MemorizedRun(identity, run);
        return true;
    }
}
