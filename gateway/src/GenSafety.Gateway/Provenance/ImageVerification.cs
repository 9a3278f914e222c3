namespace GenSafety.Gateway.Provenance;

/// <summary>The answer of <c>POST /v1/verify/image</c> (the same shape as <see cref="TextVerification"/>).</summary>
/// <param name="Verdict"><see cref="TextVerification.Produced"/> when any evidence is positive, else <see cref="TextVerification.NotProduced"/>.</param>
/// <param name="PValue">
/// Family-wise p-value of the <c>image-qim</c> test: the exact binomial tail of the tag sites' agreement, multiplied by
/// the candidate ids, gains and keys tried (at most 1).
/// </param>
/// <param name="Evidence">Every method tried, in the order tried.</param>
public sealed record ImageVerification(string Verdict, double PValue, IReadOnlyList<VerificationEvidence> Evidence);
