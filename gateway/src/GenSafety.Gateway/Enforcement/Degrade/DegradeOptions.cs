namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>
/// Settings of the L2 "degrade" action, bound from <c>GenSafety:Enforcement:Degrade</c> (environment:
/// <c>GenSafety__Enforcement__Degrade__MaxTokens</c> and so on). Request shaping caps what a client may ask for;
/// response degrading coarsens logprobs and adds B4B noise to embeddings. See <c>docs/degrade.md</c>.
/// </summary>
public sealed class DegradeOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "GenSafety:Enforcement:Degrade";

    /// <summary>
    /// Most alternatives per token: caps <c>top_logprobs</c> on chat completions and the integer <c>logprobs</c>
    /// on completions, and truncates longer lists in responses (keeping the most likely). 0 leaves only the
    /// sampled token's own (quantized) logprob. Default 1.
    /// </summary>
    public int MaxTopLogprobs { get; set; } = 1;

    /// <summary>
    /// Step, in nats, that returned logprobs are rounded to (nearest multiple, never above 0). Default 0.5.
    /// </summary>
    public double LogprobQuantum { get; set; } = 0.5;

    /// <summary>What happens to a request that carries a non-empty <c>logit_bias</c>. Default <see cref="LogitBiasMode.Strip"/>.</summary>
    public LogitBiasMode LogitBias { get; set; } = LogitBiasMode.Strip;

    /// <summary>Most completions per request: clamps <c>n</c> (chat, completions, images) and <c>best_of</c> (completions). Default 1.</summary>
    public int MaxN { get; set; } = 1;

    /// <summary>
    /// Most output tokens per request: clamps <c>max_tokens</c> and <c>max_completion_tokens</c>, and sets
    /// <c>max_completion_tokens</c> on chat requests that leave the output unbounded. Default 256.
    /// </summary>
    public int MaxTokens { get; set; } = 256;

    /// <summary>B4B λ: scale of the embedding-noise curve. Default 1e-6.</summary>
    public double NoiseLambda { get; set; } = 1e-6;

    /// <summary>B4B α: the noise σ reached at coverage <see cref="NoiseBeta"/> (plus λ). Default 0.8.</summary>
    public double NoiseAlpha { get; set; } = 0.8;

    /// <summary>B4B β: the coverage, in percent, at which σ reaches α − λ. Default 80.</summary>
    public double NoiseBeta { get; set; } = 80;

    /// <summary>
    /// Smallest per-dimension noise σ for a client whose level adds embedding noise, whatever its coverage. B4B's
    /// curve (<see cref="NoiseLambda"/>, <see cref="NoiseAlpha"/>, <see cref="NoiseBeta"/>) stays near 0 until a client
    /// covers most of the space, which takes tens of thousands of queries; a client the detectors already put at L2
    /// gets at least this much. Default 0.3 (on MiniLM's 384-d unit vectors a component is ≈ 0.05: a flagged client's
    /// vectors keep cosine ≈ 0.17 to the clean ones, and a surrogate trained on them loses more than half its
    /// fidelity, docs/degrade.md). 0 keeps the pure B4B curve.
    /// </summary>
    public double MinNoiseSigma { get; set; } = 0.3;

    /// <summary>
    /// Embedding-space coverage in [0, 1] the gateway assumes for a client the detectors have written none for.
    /// Default 0 (no noise until coverage is measured).
    /// </summary>
    public double DefaultCoverage { get; set; }

    /// <summary>
    /// The per-dimension noise σ for a client with <paramref name="coverage"/> in [0, 1] (clamped; NaN counts as
    /// full coverage, so a broken measurement fails closed): B4B's σ(c), at least <see cref="MinNoiseSigma"/>.
    /// </summary>
    public double SigmaFor(double coverage)
    {
        var clamped = double.IsNaN(coverage) ? 1 : Math.Clamp(coverage, 0, 1);
        return Math.Max(MinNoiseSigma, B4BNoise.Sigma(clamped * 100, NoiseLambda, NoiseAlpha, NoiseBeta));
    }
}
