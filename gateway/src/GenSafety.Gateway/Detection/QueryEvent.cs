using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// One proxied exchange as the detectors see it: who asked, what they asked (prompt text and the sampling and
/// API-surface parameters) and what came back (usage, finish reasons, returned embeddings). Built off the request
/// path by <see cref="QueryEventReader"/> and kept only in memory: detectors store sketches, vectors and hashes, never
/// <see cref="PromptText"/>.
/// </summary>
/// <param name="Tenant">Tenant of the client.</param>
/// <param name="ClientId">Client.</param>
/// <param name="At">When the request was received.</param>
/// <param name="RouteKind">The OpenAI route (<see cref="RouteKinds"/>).</param>
/// <param name="PromptText">
/// Chat: every message's text joined by new lines; completions: the prompt(s); embeddings: the input(s) (token-id inputs
/// as their ids); images: the prompt. Cut to <see cref="QueryEventReader.MaxPromptCharacters"/>.
/// </param>
/// <param name="PromptHash">Stable 64-bit hash of <see cref="PromptText"/> (SHA-256 prefix), equal on every replica.</param>
/// <param name="Model">The requested model, if any.</param>
/// <param name="Parameters">Sampling and API-surface parameters.</param>
/// <param name="Usage">The upstream's usage (or the streamed count), when known.</param>
/// <param name="FinishReasons">The choices' finish reasons, in order (may be empty).</param>
/// <param name="ReturnedEmbeddings">The embeddings the upstream returned (embeddings route only; empty otherwise).</param>
public sealed record QueryEvent(
    string Tenant,
    string ClientId,
    DateTimeOffset At,
    string RouteKind,
    string PromptText,
    ulong PromptHash,
    string? Model,
    QueryParameters Parameters,
    TokenUsage? Usage,
    IReadOnlyList<string> FinishReasons,
    IReadOnlyList<float[]> ReturnedEmbeddings)
{
    private readonly string? _queryText;

    /// <summary>
    /// What the client itself asked in this request: chat — the text of the last <c>user</c> message (a RAG or
    /// classifier app's system template and the conversation history left out); other routes — <see cref="PromptText"/>.
    /// The per-query detectors (PRADA, near-duplicate density, window MMD) embed this, so that an app's fixed template
    /// or a growing conversation does not make its queries look alike.
    /// </summary>
    public string QueryText
    {
        get => _queryText ?? PromptText;
        init => _queryText = value;
    }

    /// <summary>
    /// The client's source network (<see cref="SourceNetworks"/>: IPv4 /24 or IPv6 /48 of the connection's remote
    /// address), or null when unknown. Evidence for sybil linking; never shown to clients.
    /// </summary>
    public string? SourceNetwork { get; init; }

    /// <summary>
    /// Whether this is a chat follow-up: an <c>assistant</c> message comes before the last <c>user</c> message, so the
    /// query continues a conversation ("Why is that?", "Can you give an example?") rather than standing alone. People
    /// repeat such follow-ups word for word across conversations; the per-query distance detectors (PRADA,
    /// near-duplicate density) leave them out.
    /// </summary>
    public bool FollowUp { get; init; }
}

/// <summary>The sampling and API-surface parameters of a request, normalised across routes.</summary>
/// <param name="Logprobs">
/// Whether logprobs were asked for: chat <c>logprobs: true</c>, or a completions <c>logprobs</c> integer (0 included).
/// </param>
/// <param name="TopLogprobs">Alternatives per token: chat <c>top_logprobs</c>, completions <c>logprobs</c>.</param>
/// <param name="LogitBias">The <c>logit_bias</c> entries with a numeric token id, in request order.</param>
/// <param name="MaxTokens"><c>max_completion_tokens</c>, else <c>max_tokens</c> (<see cref="GenSafety.Gateway.Requests.OutputTokenLimit"/>).</param>
/// <param name="Temperature"><c>temperature</c>.</param>
/// <param name="N"><c>n</c>.</param>
/// <param name="Seed"><c>seed</c>.</param>
/// <param name="Stream"><c>stream</c>.</param>
/// <param name="Echo">Completions <c>echo</c>.</param>
public sealed record QueryParameters(
    bool Logprobs,
    int? TopLogprobs,
    IReadOnlyList<LogitBiasEntry> LogitBias,
    int? MaxTokens,
    double? Temperature,
    int? N,
    long? Seed,
    bool Stream,
    bool Echo)
{
    /// <summary>No parameters (a request without a JSON body).</summary>
    public static QueryParameters None { get; } = new(false, null, [], null, null, null, null, false, false);
}

/// <summary>One <c>logit_bias</c> entry.</summary>
/// <param name="TokenId">The biased token id.</param>
/// <param name="Bias">The bias, −100 … 100 in the OpenAI API.</param>
public readonly record struct LogitBiasEntry(int TokenId, double Bias);
