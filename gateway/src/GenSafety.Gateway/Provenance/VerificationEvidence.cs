namespace GenSafety.Gateway.Provenance;

/// <summary>One piece of evidence in a verification answer; positive when <see cref="Score"/> ≥ <see cref="Threshold"/>.</summary>
/// <param name="Method">
/// <c>receipt</c>, <c>exact_hash</c>, <c>ledger_near_duplicate</c> (score: estimated Jaccard of word 5-grams),
/// <c>watermark:lexical</c> or <c>watermark:unigram-bias</c> (score: −log10 of the p-value after Bonferroni over keys
/// and tests; threshold: −log10 α).
/// </param>
/// <param name="Score">The method's score.</param>
/// <param name="Threshold">Score from which the method counts as evidence of production.</param>
/// <param name="RecordId">Ledger record the evidence points to, when there is one.</param>
/// <param name="Detail">Receipt status, or the watermark test's key id and counts.</param>
public sealed record VerificationEvidence(string Method, double Score, double Threshold, string? RecordId, string? Detail);

/// <summary>The answer of <c>POST /v1/verify/text</c>.</summary>
/// <param name="Verdict"><c>produced</c> when any evidence is positive, else <c>not_produced</c>.</param>
/// <param name="PValue">P-value of the watermark tests (Bonferroni over schemes, tenants and keys); 1 when nothing could be scored.</param>
/// <param name="Evidence">Every method tried, in the order tried.</param>
public sealed record TextVerification(string Verdict, double PValue, IReadOnlyList<VerificationEvidence> Evidence)
{
    /// <summary>Verdict when some evidence is positive.</summary>
    public const string Produced = "produced";

    /// <summary>Verdict when no evidence is positive.</summary>
    public const string NotProduced = "not_produced";
}
