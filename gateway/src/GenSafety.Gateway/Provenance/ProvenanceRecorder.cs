using System.Security.Cryptography;
using GenSafety.Detectors.Images;
using GenSafety.Watermarking.Ledger;
using GenSafety.Watermarking.Receipts;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Signs the receipts of delivered outputs and queues their ledger records. On the response path only what the
/// receipt names is computed (record id, SHA-256 of the normalised text, HS256 signature); the MinHash sketch and the
/// write happen in <see cref="ProvenanceLedgerWriter"/>, so a response never waits for the ledger. A record the
/// writer sheds or fails to write leaves its receipt valid (it verifies on its own).
/// </summary>
internal sealed class ProvenanceRecorder
{
    private readonly ProvenanceSchemes _schemes;
    private readonly ProvenanceLedgerWriter _writer;
    private readonly TimeProvider _time;

    public ProvenanceRecorder(ProvenanceSchemes schemes, ProvenanceLedgerWriter writer, TimeProvider time)
    {
        _schemes = schemes;
        _writer = writer;
        _time = time;
    }

    /// <summary>Queues each choice's text (index, text) for the ledger and returns its record id and receipt, in the same order.</summary>
    public IReadOnlyList<DeliveredOutput> Record(ResponseMark mark, string requestId, string model, IReadOnlyList<(int Index, string Text)> outputs)
    {
        var now = _time.GetUtcNow();
        var delivered = new DeliveredOutput[outputs.Count];
        for (var i = 0; i < delivered.Length; i++)
        {
            var (index, text) = outputs[i];
            var recordId = "rec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var hash = OutputNormalizer.Sha256Hex(text);
            _writer.TryEnqueue(new PendingLedgerRecord(recordId, mark.Tenant, mark.Scheme, mark.Kid ?? string.Empty, requestId, model, now, hash, text));
            var receipt = _schemes.Receipts!.Issue(new ReceiptClaims(hash, model, now, recordId));
            delivered[i] = new DeliveredOutput(index, recordId, receipt);
        }

        return delivered;
    }

    /// <summary>
    /// Queues the ledger record of one delivered image (its id already carried by the watermark, its SHA-256 and PDQ hash
    /// already computed) and returns its receipt.
    /// </summary>
    public string RecordImage(ResponseMark mark, string recordId, string requestId, string model, string imageSha256, PdqHash imageHash)
    {
        var now = _time.GetUtcNow();
        _writer.TryEnqueue(new PendingLedgerRecord(recordId, mark.Tenant, mark.Scheme, mark.Kid ?? string.Empty, requestId, model, now, imageSha256, string.Empty, imageHash));
        return _schemes.Receipts!.Issue(new ReceiptClaims(imageSha256, model, now, recordId));
    }
}
