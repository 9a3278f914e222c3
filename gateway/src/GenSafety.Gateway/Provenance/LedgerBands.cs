using GenSafety.Watermarking.Ledger;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// The LSH bands the gateway's ledger indexes a record under: 16 bands of 3 MinHash values (48 of the 128). Half the
/// library's default 32 × 4 index writes per record, with the same recall around the near-duplicate threshold: two
/// outputs share a band with probability 1 − (1 − J³)¹⁶ ≈ 0.88 at J = 0.5 and 0.98 at J = 0.6 (32 × 4: 0.87 and
/// 0.99); the price is more unrelated candidates to score on verification (0.12 at J = 0.2 instead of 0.05), which
/// <see cref="ProvenanceOptions.MaxCandidatesPerBand"/> bounds.
/// </summary>
internal static class LedgerBands
{
    /// <summary>Bands per record.</summary>
    public const int Count = 16;

    /// <summary>MinHash values per band.</summary>
    public const int Rows = 3;

    /// <summary>The band keys of <paramref name="sketch"/>.</summary>
    public static string[] Keys(ReadOnlySpan<ulong> sketch) => LshBands.Keys(sketch, Count, Rows);

    /// <summary>Probability that two outputs with Jaccard similarity <paramref name="jaccard"/> share a band.</summary>
    public static double CandidateProbability(double jaccard) => LshBands.CandidateProbability(jaccard, Count, Rows);
}
