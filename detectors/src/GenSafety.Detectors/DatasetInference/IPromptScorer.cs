namespace GenSafety.Detectors.DatasetInference;

/// <summary>
/// Scores texts under a model: for each text, its tokens' log-probabilities in context (the first token, which has no
/// context, left out). The gateway implements it over an upstream's <c>echo</c> + <c>logprobs</c> on
/// <c>/v1/completions</c> (or a <c>prompt_logprobs</c>-style parameter), batched, budgeted and rate-limited.
/// </summary>
public interface IPromptScorer
{
    /// <summary>The scored tokens of each of <paramref name="texts"/>, in order.</summary>
    Task<IReadOnlyList<IReadOnlyList<ScoredToken>>> ScoreAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
