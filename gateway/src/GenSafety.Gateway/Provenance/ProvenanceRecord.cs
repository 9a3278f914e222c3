namespace GenSafety.Gateway.Provenance;

/// <summary>One ledger entry: a response (one choice) the gateway delivered.</summary>
/// <param name="RecordId">Ledger id (<c>rec_</c> + 24 hex digits), named by the receipt's <c>rid</c>.</param>
/// <param name="Tenant">Tenant of the client that got the response.</param>
/// <param name="Scheme">Text watermark scheme applied (<c>none</c> when unmarked).</param>
/// <param name="Kid">Key id of the mark, or empty when unmarked.</param>
/// <param name="RequestId">The request's <c>x-request-id</c>.</param>
/// <param name="Model">Model named by the request.</param>
/// <param name="CreatedAt">When the response was recorded.</param>
/// <param name="OutputSha256">SHA-256 (hex) of the normalised output.</param>
/// <param name="Sketch">MinHash signature of the output's word 5-grams (128 values).</param>
public sealed record ProvenanceRecord(
    string RecordId, string Tenant, string Scheme, string Kid, string RequestId, string Model, DateTimeOffset CreatedAt, string OutputSha256, ulong[] Sketch);
