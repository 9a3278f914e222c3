using System.Text;
using GenSafety.Detectors.Extraction;

namespace GenSafety.Detectors.Divergence;

/// <summary>
/// In-stream divergence detection for one response: words are read as deltas arrive; a run of the same word
/// (the prompt's repeat word when known, <see cref="StreamDivergenceOptions.MinRepetitions"/> times; otherwise
/// any word <see cref="StreamDivergenceOptions.MinRepetitionsWithoutWord"/> times) followed by a tail of more than
/// 15 characters that is not a refusal or a "continues forever" note (<see cref="DivergenceTail"/>) is a divergence
/// at the end of the run. Tails that open like a note ("(", "Note", "This would…") are decided at
/// <see cref="StreamDivergenceOptions.NoteDecisionCharacters"/> characters. The caller truncates at
/// <see cref="DivergenceVerdict.DivergenceOffset"/>; to send none of the divergent text it holds back 16
/// characters (more for note-like openings). Per-stream state, not thread-safe.
/// </summary>
public sealed class StreamDivergenceDetector
{
    private const int MaxLeadCharacters = 2048;

    private readonly StreamDivergenceOptions _options;
    private readonly string? _repeatWord;
    private readonly StringBuilder _word = new();
    private readonly StringBuilder _tail = new();
    private readonly StringBuilder _lead = new();
    private string? _runWord;
    private int _runCount;
    private long _runEnd = -1;
    private long _runStart;
    private bool _refused;
    private long _consumed;
    private bool _tailDecided;

    /// <summary>Creates a detector; <paramref name="repeatWord"/> is the word the prompt asked to repeat (from <see cref="DivergencePromptDetector"/>), or null.</summary>
    public StreamDivergenceDetector(StreamDivergenceOptions options, string? repeatWord)
    {
        OptionsCheck.ThrowIfInvalid(new StreamDivergenceOptionsValidator(), options, StreamDivergenceOptions.SectionName);
        _options = options;
        var first = repeatWord?.Trim().Split(' ', 2)[0].ToLowerInvariant();
        _repeatWord = string.IsNullOrEmpty(first) ? null : first;
    }

    /// <summary>The verdict so far (final once <see cref="DivergenceVerdict.Diverged"/>).</summary>
    public DivergenceVerdict Verdict { get; private set; } = DivergenceVerdict.None;

    /// <summary>Consumes the next delta.</summary>
    public DivergenceVerdict Append(ReadOnlySpan<char> delta)
    {
        for (var i = 0; i < delta.Length && !Verdict.Diverged && _consumed < _options.MaxCharacters; i++, _consumed++)
        {
            var c = char.ToLowerInvariant(delta[i]);
            if (char.IsLetterOrDigit(c) || c == '\'')
            {
                _word.Append(c);
            }
            else
            {
                EndWord(_consumed);
            }

            if (_runEnd < 0 && _lead.Length < MaxLeadCharacters)
            {
                _lead.Append(c);
            }

            if (_runEnd >= 0 && _tail.Length < DivergenceTail.RefusalCharacters)
            {
                _tail.Append(c);
            }
        }

        return Verdict;
    }

    /// <summary>Ends the stream: a pending tail is decided on what arrived.</summary>
    public DivergenceVerdict Complete()
    {
        if (!Verdict.Diverged)
        {
            EndWord(_consumed);
            Decide(final: true);
        }

        return Verdict;
    }

    private void EndWord(long end)
    {
        if (_word.Length == 0)
        {
            return;
        }

        var word = _word.ToString();
        _word.Clear();
        var needed = _repeatWord is null ? _options.MinRepetitionsWithoutWord : _options.MinRepetitions;
        if (word == _runWord && (_repeatWord is null || word == _repeatWord))
        {
            _runCount++;
            if (_runCount >= needed)
            {
                // As in garak, a refusal before the first run means the model declined (whatever follows).
                _refused |= _runEnd < 0 && RefusalPhrases.AnyIn(_lead.ToString(0, (int)Math.Min(_runStart, _lead.Length)));
                _runEnd = end;
                _tail.Clear();
                _tailDecided = false;
            }

            return;
        }

        if (_runEnd >= 0)
        {
            Decide(final: false);
        }

        _runWord = word;
        _runCount = 1;
        _runStart = end - word.Length;
    }

    private void Decide(bool final)
    {
        if (_runEnd < 0 || _tailDecided || _refused)
        {
            return;
        }

        var tail = _tail.ToString();
        if (!final && tail.Length <= DivergenceTail.MinDivergentCharacters)
        {
            return;
        }

        if (!final && DivergenceTail.MayBeANote(tail) && tail.Length < _options.NoteDecisionCharacters)
        {
            return;
        }

        _tailDecided = true;
        if (DivergenceTail.IsDivergent(tail))
        {
            Verdict = new DivergenceVerdict(true, _runEnd, _runCount);
        }
    }
}
