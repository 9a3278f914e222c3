namespace GenSafety.Detectors.DatasetInference;

/// <summary>
/// One token of a scored text as the upstream reported it: the log-probability the model gave it in context and,
/// where available, what Min-K%++ needs about the whole next-token distribution at that position.
/// </summary>
/// <param name="Logprob">ln p(x_t | x_&lt;t).</param>
/// <param name="TopLogprobs">
/// The log-probabilities of the top-k alternatives at this position (the OpenAI <c>top_logprobs</c>), or null. With
/// these alone Min-K%++ is an <em>approximation</em> (<see cref="MembershipFeatures"/>).
/// </param>
/// <param name="Moments">
/// The exact moments of ln p(z) over the whole vocabulary at this position, when the upstream can give them (the
/// reference model's <c>prompt_logprob_moments</c> extension); makes Min-K%++ exact.
/// </param>
public readonly record struct ScoredToken(double Logprob, IReadOnlyList<double>? TopLogprobs = null, DistributionMoments? Moments = null);

/// <summary>μ = Σ_z p(z)·ln p(z) and σ = √(Σ_z p(z)·(ln p(z))² − μ²) of a next-token distribution.</summary>
/// <param name="Mean">μ.</param>
/// <param name="StandardDeviation">σ.</param>
public readonly record struct DistributionMoments(double Mean, double StandardDeviation);
