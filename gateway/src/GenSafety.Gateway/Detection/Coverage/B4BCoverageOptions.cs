namespace GenSafety.Gateway.Detection.Coverage;

/// <summary>
/// Settings of the <c>b4b-coverage</c> detector, bound from <c>GenSafety:Detection:Detectors:b4b-coverage</c>.
/// Coverage c is the fraction of B4B buckets a client's vectors hit (20 projections × 4096 buckets); its score is
/// the larger of the two ramps <c>clamp((c − Free) / (Saturating − Free), 0, 1)</c>, one over returned embeddings and
/// one over prompt vectors.
/// </summary>
public sealed class B4BCoverageOptions
{
    /// <summary>Seed of the projections; every replica sharing state must use the same. Default 42.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Coverage of returned embeddings that scores nothing. Default 0.1.</summary>
    public double EmbeddingFreeCoverage { get; set; } = 0.1;

    /// <summary>Coverage of returned embeddings that scores 1. Default 0.5.</summary>
    public double EmbeddingSaturatingCoverage { get; set; } = 0.5;

    /// <summary>
    /// Coverage of prompt vectors (chat, completions, images: topic coverage) that scores nothing. Higher than for
    /// embeddings: every distinct prompt lands somewhere, so a busy benign client covers more. Default 0.25.
    /// </summary>
    public double PromptFreeCoverage { get; set; } = 0.25;

    /// <summary>Coverage of prompt vectors that scores 1. Default 0.75.</summary>
    public double PromptSaturatingCoverage { get; set; } = 0.75;
}
