using GenSafety.Detectors.Images;
using GenSafety.Watermarking.Ledger;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// A delivered output waiting in the <see cref="ProvenanceLedgerWriter"/> queue: everything its receipt names, plus the
/// text, whose MinHash sketch is computed by the writer rather than on the response path. An image record carries its
/// PDQ hash instead (computed on the response path from the marked pixels already in memory) and an empty text.
/// </summary>
/// <param name="RecordId">Ledger id, already in the receipt.</param>
/// <param name="Tenant">Tenant of the client that got the response.</param>
/// <param name="Scheme">Text watermark scheme applied.</param>
/// <param name="Kid">Key id of the mark, or empty when unmarked.</param>
/// <param name="RequestId">The request's id.</param>
/// <param name="Model">Model of the response.</param>
/// <param name="CreatedAt">When the response was recorded (the receipt's <c>iat</c>).</param>
/// <param name="OutputSha256">SHA-256 (hex) of the normalised output, already in the receipt.</param>
/// <param name="Text">The delivered text (empty for an image).</param>
/// <param name="ImageHash">PDQ hash of the delivered image; null for a text.</param>
internal sealed record PendingLedgerRecord(
    string RecordId, string Tenant, string Scheme, string Kid, string RequestId, string Model, DateTimeOffset CreatedAt, string OutputSha256, string Text,
    PdqHash? ImageHash = null)
{
    /// <summary>The ledger record, with the text's sketch (an image keeps its PDQ hash and no sketch).</summary>
    public ProvenanceRecord ToRecord()
        => new(RecordId, Tenant, Scheme, Kid, RequestId, Model, CreatedAt, OutputSha256, ImageHash is null ? MinHashSketch.Compute(Text) : [], ImageHash);
}
