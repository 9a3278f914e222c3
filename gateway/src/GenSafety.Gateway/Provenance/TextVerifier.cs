using GenSafety.Watermarking.Keys;
using GenSafety.Watermarking.Ledger;
using GenSafety.Watermarking.Statistics;
using GenSafety.Watermarking.Text.Lexical;
using GenSafety.Watermarking.Text.Unigram;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Answers "did this gateway deliver this text?": the receipt when one is given, then the ledger (exact hash of the
/// normalised text, else LSH candidates scored by estimated Jaccard), then the watermark tests of both text schemes
/// under the live and retired keys of the caller's tenant and of the tenant of the closest ledger record.
/// A ledger failure surfaces as <see cref="State.StateStoreUnavailableException"/>.
/// </summary>
internal sealed class TextVerifier
{
    private readonly ProvenanceSchemes _schemes;
    /// <summary>
    /// Longest wait for this replica's queued ledger writes before a lookup, so that an output delivered a moment ago
    /// is found (a batch is one round trip; the bound only matters when the store is slow or down).
    /// </summary>
    public static readonly TimeSpan FlushWait = TimeSpan.FromSeconds(1);

    private readonly IProvenanceLedger _ledger;
    private readonly ProvenanceLedgerWriter _writer;

    public TextVerifier(ProvenanceSchemes schemes, IProvenanceLedger ledger, ProvenanceLedgerWriter writer)
    {
        _schemes = schemes;
        _ledger = ledger;
        _writer = writer;
    }

    public async Task<TextVerification> VerifyAsync(string text, string? receipt, string callerTenant, CancellationToken cancellationToken)
    {
        var options = _schemes.Options;
        var evidence = new List<VerificationEvidence>();
        var produced = false;
        if (receipt is not null)
        {
            var check = _schemes.Receipts!.Verify(receipt, text);
            produced |= check.IsValid;
            evidence.Add(new VerificationEvidence("receipt", check.IsValid ? 1 : 0, 1, check.IsValid ? check.Claims!.RecordId : null, ReceiptStatusNames.Of(check.Status)));
        }

        await _writer.FlushAsync(FlushWait, cancellationToken);
        var exact = await _ledger.FindByHashAsync(OutputNormalizer.Sha256Hex(text), cancellationToken);
        ProvenanceRecord? closest = exact.Count > 0 ? exact[0] : null;
        if (closest is not null)
        {
            produced = true;
            evidence.Add(new VerificationEvidence("exact_hash", 1, 1, closest.RecordId, null));
        }
        else
        {
            var sketch = MinHashSketch.Compute(text);
            var best = 0.0;
            foreach (var candidate in await _ledger.FindByBandsAsync(LedgerBands.Keys(sketch), cancellationToken))
            {
                var jaccard = MinHashSketch.EstimateJaccard(sketch, candidate.Sketch);
                if (jaccard > best)
                {
                    (best, closest) = (jaccard, candidate);
                }
            }

            produced |= best >= options.NearDuplicateThreshold;
            evidence.Add(new VerificationEvidence("ledger_near_duplicate", best, options.NearDuplicateThreshold, closest?.RecordId, null));
        }

        var pValue = WatermarkTests(text, callerTenant, closest, evidence);
        produced |= pValue <= options.VerifyFalsePositiveRate;
        return new TextVerification(produced ? TextVerification.Produced : TextVerification.NotProduced, pValue, evidence);
    }

    private double WatermarkTests(string text, string callerTenant, ProvenanceRecord? closest, List<VerificationEvidence> evidence)
        => WatermarkTests(
            _schemes, text, closest is null || closest.Tenant == callerTenant ? [callerTenant] : [callerTenant, closest.Tenant],
            string.IsNullOrEmpty(closest?.Model) ? null : closest.Model, evidence);

    /// <summary>
    /// Both text schemes under the live and retired keys of each of <paramref name="tenants"/>; adds one evidence entry
    /// per scheme and returns the combined p-value. Every test is already Bonferroni-corrected over its keys, and the
    /// smallest p is corrected again over the tests, so the family-wise false-positive rate stays at α.
    /// </summary>
    public static double WatermarkTests(ProvenanceSchemes schemes, string text, IReadOnlyList<string> tenants, string? model, List<VerificationEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(schemes);
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(evidence);
        var ring = schemes.KeyRing!;
        var unigram = schemes.UnigramFor(model);
        var lexical = new List<WatermarkTestResult>();
        var green = new List<WatermarkTestResult>();
        foreach (var tenant in tenants)
        {
            lexical.Add(schemes.Lexical!.Detect(text, ring.DetectionKeys(tenant, KeyPurpose.Lexical)));
            green.Add(unigram.Detect(text, ring.DetectionKeys(tenant, KeyPurpose.UnigramBias)));
        }

        var tests = lexical.Count + green.Count;
        var alpha = schemes.Options.VerifyFalsePositiveRate;
        var bestLexical = Best(lexical);
        var bestGreen = Best(green);
        evidence.Add(Evidence(LexicalScheme.Name, bestLexical, tests, alpha));
        evidence.Add(Evidence(UnigramBiasScheme.Name, bestGreen, tests, alpha));
        return Math.Min(1, tests * Math.Min(bestLexical.PValue, bestGreen.PValue));
    }

    private static WatermarkTestResult Best(List<WatermarkTestResult> results) => results.MinBy(r => r.PValue)!;

    private static VerificationEvidence Evidence(string scheme, WatermarkTestResult result, int tests, double alpha)
    {
        var p = Math.Max(Math.Min(1, tests * result.PValue), double.Epsilon);
        return new VerificationEvidence("watermark:" + scheme, -Math.Log10(p), -Math.Log10(alpha), null,
            $"kid={result.Kid} scored={result.Scored} hits={result.Hits} keys={result.KeysTried}");
    }
}
