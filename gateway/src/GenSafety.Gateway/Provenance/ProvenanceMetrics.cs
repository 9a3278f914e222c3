using System.Diagnostics.Metrics;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Meter <c>GenSafety.Gateway.Provenance</c>: <c>gensafety.provenance.marks</c> (responses by scheme and whether a
/// mark was applied), <c>gensafety.provenance.receipts</c> (receipts issued, by carrier: header or event),
/// <c>gensafety.provenance.ledger.writes</c> (by result), <c>gensafety.provenance.verifications</c> (by verdict) and
/// <c>gensafety.provenance.verify.duration</c> (s). Tags are bounded; never a tenant, key or text.
/// </summary>
internal sealed class ProvenanceMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "GenSafety.Gateway.Provenance";

    private readonly Counter<long> _marks;
    private readonly Counter<long> _receipts;
    private readonly Counter<long> _ledgerWrites;
    private readonly Counter<long> _verifications;
    private readonly Histogram<double> _verifyDuration;

    public ProvenanceMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _marks = meter.CreateCounter<long>("gensafety.provenance.marks", description: "Responses handled by a text watermark scheme, by scheme and whether the mark was applied.");
        _receipts = meter.CreateCounter<long>("gensafety.provenance.receipts", description: "Provenance receipts issued, by carrier (header or event).");
        _ledgerWrites = meter.CreateCounter<long>("gensafety.provenance.ledger.writes", description: "Provenance ledger records written, by result.");
        _verifications = meter.CreateCounter<long>("gensafety.provenance.verifications", description: "Text verifications answered, by verdict.");
        _verifyDuration = meter.CreateHistogram<double>("gensafety.provenance.verify.duration", "s", "Time to answer a text verification.");
    }

    public void Marked(string scheme, bool applied)
    {
        if (_marks.Enabled)
        {
            _marks.Add(1, new KeyValuePair<string, object?>("scheme", scheme), new KeyValuePair<string, object?>("applied", applied));
        }
    }

    public void Receipts(string carrier, int count) => _receipts.Add(count, new KeyValuePair<string, object?>("carrier", carrier));

    public void LedgerWrite(bool succeeded) => _ledgerWrites.Add(1, new KeyValuePair<string, object?>("result", succeeded ? "ok" : "failed"));

    public void Verified(string verdict, TimeSpan duration)
    {
        _verifications.Add(1, new KeyValuePair<string, object?>("verdict", verdict));
        _verifyDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("verdict", verdict));
    }
}
