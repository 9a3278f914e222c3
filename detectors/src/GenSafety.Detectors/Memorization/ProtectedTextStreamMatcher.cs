namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Checks one streamed text against a <see cref="ProtectedTextIndex"/> as its deltas arrive: normalisation, the
/// rolling n-gram hash and the hit chains all carry across delta boundaries. It stops at the first normalised
/// character that completes a chain of <see cref="ProtectedTextIndex.RequiredChunks"/> indexed n-grams; the caller
/// cuts the stream at <see cref="StreamMatchStatus.StopOffset"/> (that character's source), so fewer than T
/// characters of any protected span were sent. In hold-back mode the cut moves back to the earliest character that
/// can belong to the copy, and only text <see cref="ProtectedTextIndex.HoldBackCharacters"/> normalised
/// characters behind is released. Per-stream state, not thread-safe.
/// </summary>
public sealed class ProtectedTextStreamMatcher
{
    private readonly ProtectedTextIndex _index;
    private readonly IncrementalNormalizer _normalizer;
    private readonly NgramChainScanner _scanner;
    private readonly long[] _sources;
    private readonly int _holdBack;
    private long _normalized;
    private bool _completed;

    internal ProtectedTextStreamMatcher(ProtectedTextIndex index, bool holdBack)
    {
        _index = index;
        _normalizer = new IncrementalNormalizer(index.Options.Normalizer);
        _scanner = new NgramChainScanner(index);
        _holdBack = holdBack ? index.HoldBackCharacters : 0;
        _sources = new long[index.HoldBackCharacters + index.NgramWidth + 1];
        Status = new StreamMatchStatus(false, 0, -1);
    }

    /// <summary>The latest status.</summary>
    public StreamMatchStatus Status { get; private set; }

    /// <summary>Longest chain seen so far (in indexed n-grams).</summary>
    public int LongestChain => _scanner.LongestChain;

    /// <summary>When stopped: the matched protected document if attribution knows it (audit only).</summary>
    public string? MatchedDocumentId { get; private set; }

    /// <summary>Consumes the next delta and says how far the stream may be forwarded.</summary>
    public StreamMatchStatus Append(ReadOnlySpan<char> delta)
    {
        if (Status.Stopped || _completed)
        {
            return Status;
        }

        _normalizer.Append(delta);
        return Drain();
    }

    /// <summary>Ends the stream (flushes what normalisation held); everything not stopped may then be forwarded.</summary>
    public StreamMatchStatus Complete()
    {
        if (Status.Stopped || _completed)
        {
            return Status;
        }

        _normalizer.Complete();
        _completed = true;
        var status = Drain();
        return status.Stopped ? status : Status = new StreamMatchStatus(false, _normalizer.Consumed, -1);
    }

    private StreamMatchStatus Drain()
    {
        var output = _normalizer.Output;
        var offsets = _normalizer.OutputOffsets;
        var stop = _scanner.Push(output, _index.RequiredChunks);
        var scanned = stop < 0 ? output.Length : stop + 1;
        // Only the last _sources.Length offsets can still be asked for.
        var first = Math.Max(0, scanned - _sources.Length);
        var slot = (int)((_normalized + first) % _sources.Length);
        for (var i = first; i < scanned; i++)
        {
            _sources[slot] = offsets[i];
            slot = slot + 1 == _sources.Length ? 0 : slot + 1;
        }

        _normalized += scanned;
        if (stop >= 0)
        {
            _normalizer.ClearOutput();
            MatchedDocumentId = _index.Attribution.DocumentOf(_scanner.StopHash);
            var cut = _holdBack == 0 ? offsets[stop] : SourceOf(Math.Max(0, _normalized - _holdBack));
            return Status = new StreamMatchStatus(true, cut, cut);
        }

        _normalizer.ClearOutput();
        var forwardable = _holdBack == 0
            ? _normalizer.PendingFrom
            : _normalized - _holdBack <= 0 ? 0 : SourceOf(_normalized - _holdBack);
        return Status = new StreamMatchStatus(false, forwardable, -1);
    }

    private long SourceOf(long normalizedIndex) => _sources[normalizedIndex % _sources.Length];
}
