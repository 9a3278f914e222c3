namespace GenSafety.Gateway.Enforcement.Degrade;

/// <summary>
/// Names of the changes degrading made to a request or response, as listed in
/// <see cref="DegradeShapingResult.Changes"/> and in the <c>x-gensafety-degraded</c> response header.
/// </summary>
public static class DegradeChanges
{
    /// <summary>Chat <c>top_logprobs</c> lowered to <see cref="DegradeOptions.MaxTopLogprobs"/>.</summary>
    public const string TopLogprobsCapped = "top_logprobs_capped";

    /// <summary>Completions integer <c>logprobs</c> lowered to <see cref="DegradeOptions.MaxTopLogprobs"/>.</summary>
    public const string LogprobsCapped = "logprobs_capped";

    /// <summary>
    /// Chat <c>top_logprobs</c> removed (or a completions <c>logprobs</c> set to 0) because the request carries
    /// <c>logit_bias</c> (<c>GenSafety:Detection:ApiSurface:DropTopLogprobsWithLogitBias</c>; any level).
    /// </summary>
    public const string TopLogprobsDropped = "top_logprobs_dropped";

    /// <summary>
    /// The configured pre-bias-logprobs flag (<c>GenSafety:Detection:ApiSurface:PreBiasLogprobsField</c>) was added
    /// to a request with <c>logit_bias</c> and logprobs: the upstream returns logprobs from before the bias.
    /// </summary>
    public const string PreBiasLogprobs = "pre_bias_logprobs";

    /// <summary><c>logit_bias</c> removed from the request.</summary>
    public const string LogitBiasStripped = "logit_bias_stripped";

    /// <summary><c>n</c> lowered to <see cref="DegradeOptions.MaxN"/>.</summary>
    public const string NClamped = "n_clamped";

    /// <summary>Completions <c>best_of</c> lowered to <see cref="DegradeOptions.MaxN"/>.</summary>
    public const string BestOfClamped = "best_of_clamped";

    /// <summary><c>max_tokens</c> lowered to <see cref="DegradeOptions.MaxTokens"/>.</summary>
    public const string MaxTokensClamped = "max_tokens_clamped";

    /// <summary>A <c>null</c> <c>max_tokens</c> replaced by <see cref="DegradeOptions.MaxTokens"/>.</summary>
    public const string MaxTokensSet = "max_tokens_set";

    /// <summary>Chat <c>max_completion_tokens</c> lowered to <see cref="DegradeOptions.MaxTokens"/>.</summary>
    public const string MaxCompletionTokensClamped = "max_completion_tokens_clamped";

    /// <summary>Chat <c>max_completion_tokens</c> added (or a <c>null</c> one replaced) with <see cref="DegradeOptions.MaxTokens"/>.</summary>
    public const string MaxCompletionTokensSet = "max_completion_tokens_set";

    /// <summary>Returned logprobs rounded to <see cref="DegradeOptions.LogprobQuantum"/>.</summary>
    public const string LogprobsQuantized = "logprobs_quantized";

    /// <summary>Returned top-logprob lists cut to <see cref="DegradeOptions.MaxTopLogprobs"/>.</summary>
    public const string TopLogprobsTruncated = "top_logprobs_truncated";

    /// <summary>Gaussian noise added to returned embeddings (B4B).</summary>
    public const string EmbeddingsNoised = "embeddings_noised";
}
