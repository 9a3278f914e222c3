namespace GenSafety.Gateway.Detection.ApiSurface;

/// <summary>
/// Request shaping against logit extraction for every client, whatever its level, bound from
/// <c>GenSafety:Detection:ApiSurface</c>. Applied by <c>DegradeRequestShaper</c> in the same rewrite as L2 shaping.
/// </summary>
public sealed class ApiSurfaceShapingOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "GenSafety:Detection:ApiSurface";

    /// <summary>
    /// Whether a request that carries a non-empty <c>logit_bias</c> loses its top-logprob alternatives: chat
    /// <c>top_logprobs</c> is removed, a completions <c>logprobs</c> above 0 becomes 0 (the sampled token's own logprob
    /// stays). This is the gist of OpenAI's fix after Carlini et al. 2024: bias can no longer reveal the hidden logits
    /// through the alternatives. The change is listed as <c>top_logprobs_dropped</c> in <c>x-gensafety-degraded</c>.
    /// Default false.
    /// </summary>
    public bool DropTopLogprobsWithLogitBias { get; set; }
}
