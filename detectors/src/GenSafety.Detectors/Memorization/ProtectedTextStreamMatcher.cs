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
    private readonly int[] _chains;
    private readonly long[] _sources;
    private readonly int _holdBack;
    private NgramRoller _roller;
    private long _normalized;
    private int _chainSlot;
    private int _sourceSlot;
    private bool _completed;

    internal ProtectedTextStreamMatcher(ProtectedTextIndex index, bool holdBack)
    {
        _index = index;
        _normalizer = new IncrementalNormalizer(index.Options.Normalizer);
        _chains = new int[index.NgramWidth];
        _holdBack = holdBack ? index.HoldBackCharacters : 0;
        _sources = new long[index.HoldBackCharacters + index.NgramWidth + 1];
        _roller = new NgramRoller(index.NgramWidth);
        Status = new StreamMatchStatus(false, 0, -1);
    }

    /// <summary>The latest status.</summary>
    public StreamMatchStatus Status { get; private set; }

    /// <summary>Longest chain seen so far (in indexed n-grams).</summary>
    public int LongestChain { get; private set; }

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
        var w = _chains.Length;
        for (var i = 0; i < output.Length; i++)
        {
            _sources[_sourceSlot] = offsets[i];
            _sourceSlot = _sourceSlot + 1 == _sources.Length ? 0 : _sourceSlot + 1;
            _roller.Push(output[i]);
            _normalized++;
            _chainSlot = _chainSlot + 1 == w ? 0 : _chainSlot + 1;
            if (!_roller.IsFull)
            {
                continue;
            }

            var slot = _chainSlot;
            var hash = _roller.Hash;
            var chain = _chains[slot] = _index.IsIndexed(hash) ? _chains[slot] + 1 : 0;
            LongestChain = Math.Max(LongestChain, chain);
            if (chain >= _index.RequiredChunks)
            {
                _normalizer.ClearOutput();
                MatchedDocumentId = _index.Attribution.DocumentOf(hash);
                var cut = _holdBack == 0 ? offsets[i] : SourceOf(Math.Max(0, _normalized - _holdBack));
                return Status = new StreamMatchStatus(true, cut, cut);
            }
        }

        _normalizer.ClearOutput();
        var forwardable = _holdBack == 0
            ? _normalizer.PendingFrom
            : _normalized - _holdBack <= 0 ? 0 : SourceOf(_normalized - _holdBack);
        return Status = new StreamMatchStatus(false, forwardable, -1);
    }

    private long SourceOf(long normalizedIndex) => _sources[normalizedIndex % _sources.Length];
}
