using System.Globalization;
using System.Security.Cryptography;
using GenSafety.Detectors.Images;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Receipts;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Answers "did this gateway deliver this image?": the receipt when one is given (signature, key, and that it covers
/// these exact bytes), the <c>image-qim</c> watermark under the live and retired image keys of the caller's tenant and
/// of the tenants of any ledger match (one Bonferroni correction over every key tried), the ledger record the decoded
/// id names, the exact SHA-256 of the bytes, and the nearest PDQ hash among the ledger's images. A ledger failure
/// surfaces as <see cref="State.StateStoreUnavailableException"/>.
/// </summary>
internal sealed class ImageVerifier
{
    private readonly ProvenanceSchemes _schemes;
    private readonly IProvenanceLedger _ledger;
    private readonly ProvenanceLedgerWriter _writer;

    public ImageVerifier(ProvenanceSchemes schemes, IProvenanceLedger ledger, ProvenanceLedgerWriter writer)
    {
        _schemes = schemes;
        _ledger = ledger;
        _writer = writer;
    }

    /// <summary>Verifies <paramref name="image"/>, decoded from <paramref name="encoded"/>.</summary>
    public async Task<ImageVerification> VerifyAsync(byte[] encoded, RgbaImage image, string? receipt, string callerTenant, CancellationToken cancellationToken)
    {
        var options = _schemes.Options;
        var evidence = new List<VerificationEvidence>();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(encoded));
        var produced = false;
        if (receipt is not null)
        {
            var check = _schemes.Receipts!.Verify(receipt);
            var status = check.IsValid && !string.Equals(check.Claims!.OutputSha256, sha256, StringComparison.Ordinal) ? ReceiptStatus.OutputMismatch : check.Status;
            var valid = status == ReceiptStatus.Valid;
            produced |= valid;
            evidence.Add(new VerificationEvidence("receipt", valid ? 1 : 0, 1, valid ? check.Claims!.RecordId : null, ReceiptStatusNames.Of(status)));
        }

        await _writer.FlushAsync(TextVerifier.FlushWait, cancellationToken);
        var exact = (await _ledger.FindByHashAsync(sha256, cancellationToken)).FirstOrDefault(r => r.IsImage);
        var pdq = PdqHasher.HashRgba(image.Pixels, image.Width, image.Height).Hash;
        var (nearest, distance) = (default(ProvenanceRecord), PdqHash.Bits);
        foreach (var candidate in await _ledger.FindByImageBandsAsync(ImageLedgerBands.Keys(pdq), cancellationToken))
        {
            var d = candidate.ImageHash!.Value.DistanceTo(pdq);
            if (d < distance)
            {
                (nearest, distance) = (candidate, d);
            }
        }

        var nearDuplicate = distance <= options.ImageMaxHammingDistance;
        string[] tenants = [.. new[] { callerTenant, exact?.Tenant, nearDuplicate ? nearest!.Tenant : null }.OfType<string>().Distinct(StringComparer.Ordinal)];
        var keys = tenants.SelectMany(t => _schemes.KeyRing!.DetectionKeys(t, KeyPurpose.Image)).ToArray();
        var detection = _schemes.ImageDetector!.Detect(image, keys);
        var markedId = detection.RecordId is { } id ? ImageRecordIds.Format(id) : null;
        produced |= detection.Detected;
        evidence.Add(new VerificationEvidence(
            "watermark:" + ImageWatermarkDetector.Name, Score(detection.PValue), Score(detection.Test.Alpha), markedId,
            string.Create(CultureInfo.InvariantCulture, $"kid={detection.Kid} scored={detection.Test.Scored} hits={detection.Test.Hits} keys={keys.Length}")));
        if (markedId is not null)
        {
            // A mark can outlive its record (retention) or precede it (a record shed under load); either way the mark stands.
            var record = await _ledger.FindByIdAsync(markedId, cancellationToken);
            var matches = record is not null && string.Equals(record.Kid, detection.Kid, StringComparison.Ordinal);
            evidence.Add(new VerificationEvidence("ledger_record", matches ? 1 : 0, 1, matches ? markedId : null, null));
        }

        if (exact is not null)
        {
            produced = true;
            evidence.Add(new VerificationEvidence("exact_hash", 1, 1, exact.RecordId, null));
        }

        produced |= nearDuplicate;
        evidence.Add(new VerificationEvidence(
            "perceptual_hash", PdqHash.Bits - distance, PdqHash.Bits - options.ImageMaxHammingDistance, nearest?.RecordId,
            nearest is null ? null : string.Create(CultureInfo.InvariantCulture, $"hamming={distance}")));
        return new ImageVerification(produced ? TextVerification.Produced : TextVerification.NotProduced, detection.PValue, evidence);
    }

    // −log10 p, finite for p = 0.
    private static double Score(double pValue) => -Math.Log10(Math.Max(pValue, double.Epsilon));
}
