using System.Diagnostics.Metrics;

namespace GenSafety.Gateway.Provenance;

/// <summary>
/// Meter <c>GenSafety.Gateway.Provenance</c>: <c>gensafety.provenance.marks</c> (responses by scheme and whether a
/// mark was applied), <c>gensafety.provenance.receipts</c> (receipts issued, by carrier: header or event),
/// <c>gensafety.provenance.ledger.writes</c> (records, by result), <c>gensafety.provenance.ledger.queue.depth</c>
/// (records waiting), <c>gensafety.provenance.ledger.shed</c> (records never written, by reason),
/// <c>gensafety.provenance.ledger.batch.duration</c> (s, by result), <c>gensafety.provenance.verifications</c> (by
/// verdict) and <c>gensafety.provenance.verify.duration</c> (s); for images <c>gensafety.provenance.image.marks</c>
/// (images of image-generation responses, by outcome: marked, url, unreadable), <c>gensafety.provenance.image.embed.duration</c>
/// (s per marked image: decode, mark, re-encode, hashes) and <c>gensafety.provenance.image.verifications</c> (by
/// verdict). Tags are bounded; never a tenant, key, text or image.
/// </summary>
internal sealed class ProvenanceMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "GenSafety.Gateway.Provenance";

    private readonly Counter<long> _marks;
    private readonly Counter<long> _receipts;
    private readonly Counter<long> _ledgerWrites;
    private readonly Counter<long> _ledgerShed;
    private readonly Histogram<double> _ledgerBatchDuration;
    private readonly Meter _meter;
    private readonly Counter<long> _verifications;
    private readonly Histogram<double> _verifyDuration;
    private readonly Counter<long> _imageMarks;
    private readonly Histogram<double> _imageEmbedDuration;
    private readonly Counter<long> _imageVerifications;

    public ProvenanceMetrics(IMeterFactory meters)
    {
        var meter = _meter = meters.Create(MeterName);
        _marks = meter.CreateCounter<long>("gensafety.provenance.marks", description: "Responses handled by a text watermark scheme, by scheme and whether the mark was applied.");
        _receipts = meter.CreateCounter<long>("gensafety.provenance.receipts", description: "Provenance receipts issued, by carrier (header or event).");
        _ledgerWrites = meter.CreateCounter<long>("gensafety.provenance.ledger.writes", description: "Provenance ledger records written, by result.");
        _ledgerShed = meter.CreateCounter<long>("gensafety.provenance.ledger.shed", "{record}", "Ledger records dropped unwritten, by reason (queue_full, shutdown).");
        _ledgerBatchDuration = meter.CreateHistogram<double>(
            "gensafety.provenance.ledger.batch.duration", "s", "Time to write one batch of ledger records, by result.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _verifications = meter.CreateCounter<long>("gensafety.provenance.verifications", description: "Text verifications answered, by verdict.");
        _verifyDuration = meter.CreateHistogram<double>("gensafety.provenance.verify.duration", "s", "Time to answer a text verification.");
        _imageMarks = meter.CreateCounter<long>("gensafety.provenance.image.marks", "{image}", "Images of image-generation responses, by outcome (marked, url: not marked, unreadable: passed through unmarked).");
        _imageEmbedDuration = meter.CreateHistogram<double>(
            "gensafety.provenance.image.embed.duration", "s", "Time to mark one image: decode, embed, re-encode, hashes.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _imageVerifications = meter.CreateCounter<long>("gensafety.provenance.image.verifications", description: "Image verifications answered, by verdict.");
    }

    /// <summary>Outcome of an image: marked.</summary>
    public const string ImageMarked = "marked";

    /// <summary>Outcome of an image: returned as a URL, so not marked.</summary>
    public const string ImageUrl = "url";

    /// <summary>Outcome of an image: not decodable (or not markable), passed through unmarked.</summary>
    public const string ImageUnreadable = "unreadable";

    public void Image(string outcome, TimeSpan? embedDuration = null)
    {
        _imageMarks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (embedDuration is { } duration)
        {
            _imageEmbedDuration.Record(duration.TotalSeconds);
        }
    }

    public void ImageVerified(string verdict) => _imageVerifications.Add(1, new KeyValuePair<string, object?>("verdict", verdict));

    /// <summary>Shed reason: the queue was full.</summary>
    public const string ShedQueueFull = "queue_full";

    /// <summary>Shed reason: still queued when the shutdown drain timed out.</summary>
    public const string ShedShutdown = "shutdown";

    /// <summary>Observes the ledger queue's depth (<c>gensafety.provenance.ledger.queue.depth</c>).</summary>
    public void TrackLedgerQueue(Func<int> depth)
        => _meter.CreateObservableGauge("gensafety.provenance.ledger.queue.depth", depth, "{record}", "Ledger records queued, not yet written.");

    public void Marked(string scheme, bool applied)
    {
        if (_marks.Enabled)
        {
            _marks.Add(1, new KeyValuePair<string, object?>("scheme", scheme), new KeyValuePair<string, object?>("applied", applied));
        }
    }

    public void Receipts(string carrier, int count) => _receipts.Add(count, new KeyValuePair<string, object?>("carrier", carrier));

    public void LedgerShed(string reason, int count)
    {
        if (count > 0)
        {
            _ledgerShed.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    public void LedgerBatch(bool succeeded, int records, TimeSpan duration)
    {
        var result = new KeyValuePair<string, object?>("result", succeeded ? "ok" : "failed");
        _ledgerWrites.Add(records, result);
        _ledgerBatchDuration.Record(duration.TotalSeconds, result);
    }

    public void Verified(string verdict, TimeSpan duration)
    {
        _verifications.Add(1, new KeyValuePair<string, object?>("verdict", verdict));
        _verifyDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("verdict", verdict));
    }
}
