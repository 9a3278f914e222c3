namespace GenSafety.Detectors.Memorization;

/// <summary>One returned token with its log-probability (natural log, as the OpenAI API reports it).</summary>
/// <param name="Token">The token text.</param>
/// <param name="Logprob">Log-probability of the chosen token (≤ 0).</param>
/// <param name="TopLogprobs">Log-probabilities of the top alternatives including the chosen one, when returned; else null.</param>
public readonly record struct TokenLogprob(string Token, double Logprob, IReadOnlyList<double>? TopLogprobs = null);
