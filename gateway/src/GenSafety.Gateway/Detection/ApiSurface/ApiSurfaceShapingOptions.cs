namespace GenSafety.Gateway.Detection.ApiSurface;

/// <summary>
/// Request shaping against logit extraction for every client, whatever its level, bound from
/// <c>GenSafety:Detection:ApiSurface</c> and validated at start-up (<see cref="ApiSurfaceShapingOptionsValidator"/>). Applied by <c>DegradeRequestShaper</c> in the same rewrite as L2 shaping.
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

    /// <summary>
    /// The alternative to <see cref="DropTopLogprobsWithLogitBias"/> for an upstream that can compute logprobs before
    /// the bias itself (as OpenAI's API does since Carlini et al. 2024): the name of the request field that asks for it,
    /// added with <see cref="PreBiasLogprobsValue"/> to every request that carries a non-empty <c>logit_bias</c> and
    /// asks for logprobs (a value the client sent under that name is replaced). The client keeps its alternatives, but
    /// they no longer move with the bias. Listed as <c>pre_bias_logprobs</c> in <c>x-gensafety-degraded</c>. Letters,
    /// digits and '_' (a JSON key the upstream knows); unset (default) adds nothing. Not together with
    /// <see cref="DropTopLogprobsWithLogitBias"/>.
    /// </summary>
    public string? PreBiasLogprobsField { get; set; }

    /// <summary>The flag's value, as JSON text (<c>true</c>, <c>"before_bias"</c>, <c>{"mode":"raw"}</c> …). Default <c>true</c>.</summary>
    public string PreBiasLogprobsValue { get; set; } = "true";
}
