namespace GenSafety.Traffic.Labels;

/// <summary>
/// One JSONL line per request (<c>"type":"request"</c>): its label, what was asked (shape and prompt digest, never
/// the prompt) and what came back (status, error code, degradation, latency, usage).
/// </summary>
public sealed record RequestRecord : LabelledRecord
{
    /// <summary>A line for <paramref name="label"/>, sent as <paramref name="client"/>.</summary>
    public RequestRecord(TrafficLabel label, string client)
        : base("request", label, client)
    {
    }

    /// <summary>Position in the campaign's dispatch order (sorting by it gives the same order for the same seed).</summary>
    public required long Seq { get; init; }

    /// <summary>Virtual send time in seconds from the campaign's start (what the pacing model planned).</summary>
    public required double T { get; init; }

    /// <summary>Wall-clock send time in milliseconds from the campaign's start.</summary>
    public required double WallMs { get; init; }

    /// <summary>An attacker's benign-looking cover request.</summary>
    public required bool Cover { get; init; }

    /// <summary>What the request is within its persona or attack.</summary>
    public required string Kind { get; init; }

    /// <summary>Route kind (<c>chat.completions</c>, <c>embeddings</c>).</summary>
    public required string Route { get; init; }

    /// <summary>Parameters and prompt digest.</summary>
    public required RequestShape Shape { get; init; }

    /// <summary>HTTP status (0: no response).</summary>
    public required int Status { get; init; }

    /// <summary>Error code, when the request failed.</summary>
    public string? Error { get; init; }

    /// <summary>Send to last byte, milliseconds.</summary>
    public double LatencyMs { get; init; }

    /// <summary><c>x-gensafety-degraded</c>, when present.</summary>
    public string? Degraded { get; init; }

    /// <summary>Sends of this request (above 1: proof-of-work solved).</summary>
    public int Attempts { get; init; }

    /// <summary>Prompt tokens the target reported.</summary>
    public int PromptTokens { get; init; }

    /// <summary>Completion tokens the target reported.</summary>
    public int CompletionTokens { get; init; }

    /// <summary>Degraded embeddings: mean cosine of the returned vectors to the clean ones (from the oracle); null otherwise.</summary>
    public double? CleanCosine { get; init; }

    /// <summary>First choice's finish reason.</summary>
    public string? FinishReason { get; init; }
}
