namespace GenSafety.Detectors.Memorization;

/// <summary>Settings of <see cref="MemorizedRunDetector"/>.</summary>
public sealed class MemorizedRunOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Memorization:LogprobRuns";

    /// <summary>Consecutive near-certain tokens that make a run (default 50).</summary>
    public int MinRunTokens { get; set; } = 50;

    /// <summary>Most surprisal −log p (nats) of a near-certain token (default 0.1: p ≥ 0.905).</summary>
    public double MaxTokenSurprisal { get; set; } = 0.1;

    /// <summary>Most entropy (nats) estimated from the returned alternatives of a near-certain token (default 0.35).</summary>
    public double MaxTokenEntropy { get; set; } = 0.35;

    /// <summary>
    /// Least zlib ratio (zlib bits of the run's UTF-8 text ÷ the model's bits for it, Carlini et al.'s ranking
    /// signal) of a memorized run (default 10): the model finds the text far more predictable than a general compressor does.
    /// </summary>
    public double MinZlibRatio { get; set; } = 10;

    /// <summary>Least zlib-compressed ÷ raw size of the run (default 0.3), so repetition (which is also near-certain) is not taken for recall.</summary>
    public double MinCompressedFraction { get; set; } = 0.3;
}
