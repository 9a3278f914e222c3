namespace GenSafety.Detectors.Extraction;

/// <summary>
/// Settings of <see cref="HarvestingDetector"/>, bound from <see cref="SectionName"/>. The signals are those the
/// research notes list for distillation and harvesting (Alpaca's <c>generate_instruction.py</c>: one long template,
/// temperature 1, max_tokens 3072; providers' reports: chain-of-thought elicitation, volume); the ramps and weights
/// are ours and documented in docs/detection-algorithms.md.
/// </summary>
public sealed class HarvestingOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "GenSafety:Detection:Extraction:Harvesting";

    /// <summary>The phrases used when <see cref="ReasoningPhrases"/> is not set (matched in lower case, whitespace collapsed).</summary>
    public static IReadOnlyList<string> DefaultReasoningPhrases { get; } =
    [
        "step by step", "step-by-step", "explain your reasoning", "think carefully", "show your work",
        "show your reasoning", "reason through", "chain of thought", "chain-of-thought", "think through",
        "let's think", "walk through your reasoning", "explain your thought process", "justify each step",
    ];

    /// <summary>Latest requests kept per client, 8 to 255. Default 64.</summary>
    public int WindowSize { get; set; } = 64;

    /// <summary>Requests in the window before the detector scores, 1 to <see cref="WindowSize"/>. Default 8.</summary>
    public int MinQueries { get; set; } = 8;

    /// <summary>Normalised characters at the start of a prompt that its template signature covers, 16 to 4096. Default 256.</summary>
    public int PrefixCharacters { get; set; } = 256;

    /// <summary>Characters per shingle of the signature, 2 to 16. Default 5.</summary>
    public int ShingleLength { get; set; } = 5;

    /// <summary>Prompts shorter than this many characters never count as using a long template, 0 to 65535. Default 128.</summary>
    public int MinTemplateCharacters { get; set; } = 128;

    /// <summary>Estimated Jaccard similarity of two openings at or above which they share a template, (0, 1]. Default 0.75 (12 of 16 hashes equal).</summary>
    public double TemplateSimilarity { get; set; } = 0.75;

    /// <summary>max_tokens at which a request starts to count as asking for a long output (ramp start). Default 256.</summary>
    public int LongOutputTokensLow { get; set; } = 256;

    /// <summary>max_tokens at which a request counts fully as asking for a long output (ramp end). Default 1024.</summary>
    public int LongOutputTokensHigh { get; set; } = 1024;

    /// <summary>max_tokens assumed when a request does not set it. Default 0: unknown counts as short, which spares template apps that leave it out.</summary>
    public int AssumedMaxTokens { get; set; }

    /// <summary>Temperature at which sampling starts to count as diverse (ramp start). Default 0.5.</summary>
    public double HotTemperatureLow { get; set; } = 0.5;

    /// <summary>Temperature at which sampling counts fully as diverse (ramp end; Alpaca: 1.0). Default 1.0.</summary>
    public double HotTemperatureHigh { get; set; } = 1.0;

    /// <summary>Temperature assumed when a request does not set it (the OpenAI API's default). Default 1.0.</summary>
    public double AssumedTemperature { get; set; } = 1.0;

    /// <summary>Requests per minute at which volume starts to count (ramp start). Default 2.</summary>
    public double VolumePerMinuteLow { get; set; } = 2;

    /// <summary>Requests per minute at which volume counts fully (ramp end). Default 30.</summary>
    public double VolumePerMinuteHigh { get; set; } = 30;

    /// <summary>Weight of the elicitation term max(template·long·hot, reasoning·long). Default 0.75.</summary>
    public double ElicitationWeight { get; set; } = 0.75;

    /// <summary>Weight of the volume term volume·max(template, reasoning). Default 0.25.</summary>
    public double VolumeWeight { get; set; } = 0.25;

    /// <summary>
    /// Share of the distillation term a reasoning phrase earns without long outputs: distill = reasoning · (floor +
    /// (1 − floor) · long), in [0, 1]. Long outputs strengthen it but are not required, since a request without
    /// max_tokens gets the provider's (unbounded) default. Default 0.5.
    /// </summary>
    public double ReasoningFloor { get; set; } = 0.5;

    /// <summary>Reasoning-elicitation phrases; null uses <see cref="DefaultReasoningPhrases"/>. Each 3 to 64 characters.</summary>
    public string[]? ReasoningPhrases { get; set; }

    /// <summary>Characters of a prompt scanned (fingerprint, phrases), 256 to 1,048,576. Default 16,384.</summary>
    public int MaxCharacters { get; set; } = 16_384;

    /// <summary>Seed of the signature's hash functions; replicas that share state must use the same. Default 0x7E3A.</summary>
    public long Seed { get; set; } = 0x7E3A;
}
