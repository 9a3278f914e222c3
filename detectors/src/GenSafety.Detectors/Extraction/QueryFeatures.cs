namespace GenSafety.Detectors.Extraction;

/// <summary>
/// What <see cref="HarvestingDetector"/> keeps of one request: sketches and numbers, never the prompt text. Built by
/// <see cref="HarvestingDetector.ExtractFeatures"/> when the request is seen, so the text can be dropped at once.
/// </summary>
public readonly struct QueryFeatures
{
    internal QueryFeatures(uint optionsFingerprint, int promptLength, uint promptFingerprint, PrefixSignature prefix, int? maxTokens, double? temperature, bool reasoningElicitation)
    {
        OptionsFingerprint = optionsFingerprint;
        PromptLength = promptLength;
        PromptFingerprint = promptFingerprint;
        Prefix = prefix;
        MaxTokens = maxTokens;
        Temperature = temperature;
        ReasoningElicitation = reasoningElicitation;
    }

    /// <summary>Characters of the prompt.</summary>
    public int PromptLength { get; }

    /// <summary>A 32-bit hash of the whole normalised prompt (equal prompts, equal fingerprints), for diversity.</summary>
    public uint PromptFingerprint { get; }

    /// <summary>The MinHash signature of the prompt's opening, for shared templates.</summary>
    public PrefixSignature Prefix { get; }

    /// <summary>The request's <c>max_tokens</c> (or <c>max_completion_tokens</c>); null when not set.</summary>
    public int? MaxTokens { get; }

    /// <summary>The request's <c>temperature</c>; null when not set.</summary>
    public double? Temperature { get; }

    /// <summary>Whether the prompt contains a reasoning-elicitation phrase (<see cref="HarvestingOptions.DefaultReasoningPhrases"/>).</summary>
    public bool ReasoningElicitation { get; }

    /// <summary>Fingerprint of the extracting detector's options; another detector refuses these features.</summary>
    internal uint OptionsFingerprint { get; }
}
