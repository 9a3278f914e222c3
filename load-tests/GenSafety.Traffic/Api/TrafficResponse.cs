namespace GenSafety.Traffic.Api;

/// <summary>One alternative of a chat response's first token position: the token's text and its logprob.</summary>
/// <param name="Token">The token as the API shows it (its text).</param>
/// <param name="Logprob">Its log-probability.</param>
public readonly record struct TopLogprob(string Token, double Logprob);

/// <summary>
/// What came back for one request: the status and, on success, only the parts the attacks and the records use
/// (first choice's text and finish reason, first position's top logprobs, embeddings, usage).
/// </summary>
public sealed class TrafficResponse
{
    /// <summary>HTTP status; 0 when no response came (transport error or timeout).</summary>
    public int Status { get; init; }

    /// <summary><c>error.code</c> of an OpenAI-shaped error body, or the transport error's kind.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Send to last byte, in milliseconds (proof-of-work solving included).</summary>
    public double LatencyMs { get; init; }

    /// <summary>The gateway's <c>x-gensafety-degraded</c> header, when present.</summary>
    public string? Degraded { get; init; }

    /// <summary>How many times the request went out: more than 1 when a proof-of-work challenge was solved and the request resent.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Text of the first choice.</summary>
    public string? Content { get; init; }

    /// <summary>Finish reason of the first choice.</summary>
    public string? FinishReason { get; init; }

    /// <summary>Top logprobs of the first choice's first token (empty when none were returned).</summary>
    public IReadOnlyList<TopLogprob> TopLogprobs { get; init; } = [];

    /// <summary>Returned embeddings, in input order.</summary>
    public IReadOnlyList<float[]> Embeddings { get; init; } = [];

    /// <summary><c>usage.prompt_tokens</c>.</summary>
    public int PromptTokens { get; init; }

    /// <summary><c>usage.completion_tokens</c>.</summary>
    public int CompletionTokens { get; init; }

    /// <summary>Whether the request succeeded (2xx).</summary>
    public bool Ok => Status is >= 200 and < 300;
}
