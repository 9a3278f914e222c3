using System.Security.Cryptography;
using GenSafety.Gateway.State;
using GenSafety.Watermarking.Ledger;
using GenSafety.Watermarking.Receipts;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Records delivered outputs in the ledger and signs their receipts. The ledger write is awaited, so a receipt's
/// record is there when the client gets it; a failed write is logged and counted, and the response still goes out
/// with its receipt (fail-open: the receipt alone still verifies).
/// </summary>
internal sealed class ProvenanceRecorder
{
    private readonly ProvenanceSchemes _schemes;
    private readonly IProvenanceLedger _ledger;
    private readonly ProvenanceMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<ProvenanceRecorder> _logger;

    public ProvenanceRecorder(ProvenanceSchemes schemes, IProvenanceLedger ledger, ProvenanceMetrics metrics, TimeProvider time, ILogger<ProvenanceRecorder> logger)
    {
        _schemes = schemes;
        _ledger = ledger;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Records each choice's text (index, text) and returns its record id and receipt, in the same order.</summary>
    public async Task<IReadOnlyList<DeliveredOutput>> RecordAsync(
        ResponseMark mark, string requestId, string model, IReadOnlyList<(int Index, string Text)> outputs, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var delivered = new List<DeliveredOutput>(outputs.Count);
        foreach (var (index, text) in outputs)
        {
            var recordId = "rec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var hash = OutputNormalizer.Sha256Hex(text);
            var sketch = MinHashSketch.Compute(text);
            var record = new ProvenanceRecord(recordId, mark.Tenant, mark.Scheme, mark.Kid ?? string.Empty, requestId, model, now, hash, sketch);
            try
            {
                await _ledger.RecordAsync(record, LshBands.Keys(sketch), cancellationToken);
                _metrics.LedgerWrite(true);
            }
            catch (StateStoreUnavailableException ex)
            {
                _metrics.LedgerWrite(false);
                ProvenanceLog.LedgerWriteFailed(_logger, (ex.InnerException ?? ex).GetType().Name);
            }

            var receipt = _schemes.Receipts!.Issue(new ReceiptClaims(hash, model, now, recordId));
            delivered.Add(new DeliveredOutput(index, recordId, receipt));
        }

        return delivered;
    }
}
