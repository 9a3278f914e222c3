namespace GenSafety.Watermarking.Receipts;

/// <summary>What a provenance receipt asserts about one response.</summary>
/// <param name="OutputSha256">SHA-256 (lowercase hex) of the normalised output (<see cref="Ledger.OutputNormalizer.Sha256Hex"/>).</param>
/// <param name="Model">Model that produced the output.</param>
/// <param name="IssuedAt">When the gateway issued the receipt (whole seconds).</param>
/// <param name="RecordId">Ledger record id of the response.</param>
public sealed record ReceiptClaims(string OutputSha256, string Model, DateTimeOffset IssuedAt, string RecordId);
