namespace GenSafety.ReferenceModel.Text;

/// <summary>Decoding settings of one request (already validated).</summary>
internal sealed record SamplingSettings
{
    /// <summary>0 means greedy decoding.</summary>
    public double Temperature { get; init; } = 1;

    public double TopP { get; init; } = 1;

    public int MaxTokens { get; init; } = 16;

    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Number of alternatives to report per token; -1 when logprobs are off.</summary>
    public int TopLogprobs { get; init; } = -1;

    public IReadOnlyDictionary<int, double>? LogitBias { get; init; }

    public long? Seed { get; init; }

    public bool LogprobsRequested => TopLogprobs >= 0;
}
