namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Settings of a <see cref="ProtectedTextIndex"/> (section <see cref="SectionName"/>). Every replica that shares a
/// stored index must use the same <see cref="NgramWidth"/> and <see cref="Normalizer"/> (the snapshot header records
/// them and a mismatched load is refused).
/// </summary>
public sealed class ProtectedTextIndexOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Memorization:Text";

    /// <summary>
    /// Width w of the indexed character n-grams (normalised characters). Documents are indexed at stride w and text
    /// is queried at stride 1, so any verbatim copy of 2w − 1 characters contains a whole indexed n-gram. Default 50.
    /// </summary>
    public int NgramWidth { get; set; } = 50;

    /// <summary>
    /// Stop threshold T in normalised characters (default 150): no verbatim span of T characters may pass. It must be
    /// at least 2w − 1. The matcher stops at the first character from which such a span can no longer be ruled out.
    /// </summary>
    public int StopCharacters { get; set; } = 150;

    /// <summary>Number of n-grams the Bloom filter is sized for (default 1,000,000: one n-gram per 50 characters, so 50 M characters).</summary>
    public long ExpectedNgrams { get; set; } = 1_000_000;

    /// <summary>Target false-positive rate of one Bloom lookup at <see cref="ExpectedNgrams"/> (default 1e-3: 14.4 bits and 10 hashes per n-gram).</summary>
    public double FalsePositiveRate { get; set; } = 1e-3;

    /// <summary>
    /// Most n-grams whose exact 64-bit hash is kept with the document it came from (default 1,000,000, about 30 MB).
    /// While every indexed n-gram is kept, a Bloom hit is confirmed against this map (no false positives) and the
    /// matched document is named; past it, hits rely on the Bloom filter alone and later documents stay unnamed.
    /// 0 turns attribution off.
    /// </summary>
    public int AttributionCapacity { get; set; } = 1_000_000;

    /// <summary>How text is normalised before hashing.</summary>
    public TextNormalizerOptions Normalizer { get; set; } = new();
}
