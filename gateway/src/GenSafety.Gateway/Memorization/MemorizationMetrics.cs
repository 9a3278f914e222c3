using System.Diagnostics.Metrics;

namespace GenSafety.Gateway.Memorization;

/// <summary>
/// Meter <c>GenSafety.Gateway.Memorization</c>: <c>gensafety.memorization.checks</c> (texts and images checked, by
/// kind), <c>gensafety.memorization.hits</c> (copies found, by kind), <c>gensafety.memorization.blocked</c>
/// (responses blocked, redacted or replaced, by action), <c>gensafety.memorization.stream_ends</c> (streams ended),
/// <c>gensafety.memorization.prompt_signals</c> (risk signals from prompts, by signal),
/// <c>gensafety.memorization.added</c> (protected items added, by corpus), <c>gensafety.memorization.reloads</c>
/// (indexes swapped in, by corpus) and the gauges <c>gensafety.memorization.index.documents</c>,
/// <c>gensafety.memorization.index.ngrams</c>, <c>gensafety.memorization.index.bytes</c> (By) and
/// <c>gensafety.memorization.index.images</c>. Tags are bounded; never a document id.
/// </summary>
public sealed class MemorizationMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "GenSafety.Gateway.Memorization";

    private readonly Counter<long> _checks;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _blocked;
    private readonly Counter<long> _streamEnds;
    private readonly Counter<long> _promptSignals;
    private readonly Counter<long> _added;
    private readonly Counter<long> _reloads;

    /// <summary>Creates the instruments; the gauges read <paramref name="corpus"/> and <paramref name="store"/>.</summary>
    public MemorizationMetrics(IMeterFactory meters, ProtectedCorpus corpus, IProtectedCorpusStore store)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(store);
        var meter = meters.Create(MeterName);
        _checks = meter.CreateCounter<long>("gensafety.memorization.checks", description: "Outputs and prompts checked against the protected corpora, by kind.");
        _hits = meter.CreateCounter<long>("gensafety.memorization.hits", description: "Protected copies found, by kind.");
        _blocked = meter.CreateCounter<long>("gensafety.memorization.blocked", description: "Responses blocked, redacted or replaced, by action.");
        _streamEnds = meter.CreateCounter<long>("gensafety.memorization.stream_ends", description: "Streams ended because they reproduced protected text.");
        _promptSignals = meter.CreateCounter<long>("gensafety.memorization.prompt_signals", description: "Extraction signals raised from prompts, by signal.");
        _added = meter.CreateCounter<long>("gensafety.memorization.added", description: "Protected documents and images added, by corpus.");
        _reloads = meter.CreateCounter<long>("gensafety.memorization.reloads", description: "Protected indexes swapped in on this replica, by corpus.");
        meter.CreateObservableGauge("gensafety.memorization.index.documents", () => (long)corpus.Text.DocumentCount, description: "Protected text documents indexed.");
        meter.CreateObservableGauge("gensafety.memorization.index.ngrams", () => corpus.Text.NgramCount, description: "N-grams in the protected-text index.");
        meter.CreateObservableGauge("gensafety.memorization.index.bytes", () => store.StoredTextBytes, "By", "Stored size of the protected-text index.");
        meter.CreateObservableGauge("gensafety.memorization.index.images", () => (long)corpus.Images.Count, description: "Protected images indexed.");
        corpus.Swapped += what => _reloads.Add(1, new KeyValuePair<string, object?>("corpus", what));
    }

    /// <summary>A text or image was checked.</summary>
    public void Checked(string kind) => _checks.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>A copy was found.</summary>
    public void Hit(string kind) => _hits.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>A response was blocked, redacted or replaced.</summary>
    public void Blocked(string action) => _blocked.Add(1, new KeyValuePair<string, object?>("action", action));

    /// <summary>A stream was ended.</summary>
    public void StreamEnded() => _streamEnds.Add(1);

    /// <summary>A prompt raised a signal.</summary>
    public void PromptSignal(string signal) => _promptSignals.Add(1, new KeyValuePair<string, object?>("signal", signal));

    /// <summary>Items were added to a corpus.</summary>
    public void Added(string corpus, int count)
    {
        if (count > 0)
        {
            _added.Add(count, new KeyValuePair<string, object?>("corpus", corpus));
        }
    }
}
