using GenSafety.Detectors.Images;

namespace GenSafety.Gateway.Provenance;

/// <summary>One ledger entry: a response (one choice, or one image) the gateway delivered.</summary>
/// <param name="RecordId">
/// Ledger id, named by the receipt's <c>rid</c>: <c>rec_</c> + 24 hex digits for texts, <c>img_</c> + the 16 hex digits of
/// the 64-bit id carried by the image's watermark for images (<see cref="ImageRecordIds"/>).
/// </param>
/// <param name="Tenant">Tenant of the client that got the response.</param>
/// <param name="Scheme">Watermark scheme applied (<c>none</c> when unmarked; <c>image-qim</c> for images).</param>
/// <param name="Kid">Key id of the mark, or empty when unmarked.</param>
/// <param name="RequestId">The request's <c>x-request-id</c>.</param>
/// <param name="Model">Model named by the request.</param>
/// <param name="CreatedAt">When the response was recorded.</param>
/// <param name="OutputSha256">SHA-256 (hex) of the normalised output text, or of the delivered image's encoded bytes.</param>
/// <param name="Sketch">MinHash signature of the output's word 5-grams (128 values); empty for images.</param>
/// <param name="ImageHash">PDQ perceptual hash of the delivered image; null for texts.</param>
public sealed record ProvenanceRecord(
    string RecordId, string Tenant, string Scheme, string Kid, string RequestId, string Model, DateTimeOffset CreatedAt, string OutputSha256, ulong[] Sketch,
    PdqHash? ImageHash = null)
{
    /// <summary>Whether the record is of an image (indexed by <see cref="ImageLedgerBands"/>, not by <see cref="LedgerBands"/>).</summary>
    public bool IsImage => ImageHash is not null;
}
