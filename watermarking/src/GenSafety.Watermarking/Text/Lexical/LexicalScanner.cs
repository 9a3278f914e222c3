using System.Text;

namespace GenSafety.Watermarking.Text.Lexical;

/// <summary>
/// Walks text one whitespace-separated segment at a time and finds the positions the <c>lexical</c> scheme may use,
/// with the same rules for marking and detection: nothing inside fenced (``` or ~~~) or inline (`) code (an inline
/// span ends at its closing backtick or at a blank line); no segment
/// holding a digit, URL or markup character; no word with a capital letter (names), except a sentence's first word
/// with only its first letter capital. A candidate is a lexicon word with at most punctuation around it; its
/// context is the previous segment's word, lower-cased. State carries across calls, so a stream can be fed segment
/// by segment.
/// <para>
/// A sentence starts at the beginning of the text, of a line, and after a word ending in <c>.</c>, <c>!</c> or
/// <c>?</c> — unless that word is a capitalised one of at most four letters (<c>Mr.</c>, <c>Dr.</c>, <c>St.</c>,
/// <c>Mrs.</c>), so the name after a title is never read as a sentence start.
/// </para>
/// </summary>
internal sealed class LexicalScanner
{
    /// <summary>Longest context word kept (longer ones are truncated; both sides truncate the same way).</summary>
    public const int MaxContextLength = 48;

    private readonly SynonymLexicon _lexicon;
    private readonly char[] _previous = new char[MaxContextLength];
    private int _previousLength;
    private bool _inFence;
    private bool _inInlineCode;
    private bool _atLineStart = true;
    private bool _atSentenceStart = true;

    public LexicalScanner(SynonymLexicon lexicon) => _lexicon = lexicon;

    /// <summary>Decides what to write for a candidate word: the same word or a synonym from its group.</summary>
    public delegate string CandidateHandler(ReadOnlySpan<char> previous, ReadOnlySpan<char> word, IReadOnlyList<string> group);

    /// <summary>
    /// Appends <paramref name="text"/> (whole segments only: the caller holds back a trailing partial one) to
    /// <paramref name="output"/>, letting <paramref name="onCandidate"/> choose each candidate word.
    /// </summary>
    public void Scan(ReadOnlySpan<char> text, StringBuilder output, CandidateHandler onCandidate)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                if (text[i] == '\n')
                {
                    // A blank line ends a paragraph, and an inline code span never runs past it (CommonMark): a lone
                    // backtick does not turn the rest of the text into code.
                    _inInlineCode &= !_atLineStart;
                    _atLineStart = true;
                    _atSentenceStart = true;
                }

                output.Append(text[i++]);
                continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            ScanSegment(text[start..i], output, onCandidate);
        }
    }

    /// <summary>Passes a segment through untouched (a segment too long to hold back); it gives no context.</summary>
    public void PassThrough(ReadOnlySpan<char> segment, StringBuilder output)
    {
        output.Append(segment);
        _previousLength = 0;
        _atLineStart = false;
        _atSentenceStart = false;
    }

    private void ScanSegment(ReadOnlySpan<char> segment, StringBuilder output, CandidateHandler onCandidate)
    {
        var atLineStart = _atLineStart;
        _atLineStart = false;
        if (atLineStart && (segment.StartsWith("```") || segment.StartsWith("~~~")))
        {
            _inFence = !_inFence;
            PassThrough(segment, output);
            return;
        }

        var backticks = segment.Count('`');
        if (_inFence || _inInlineCode || backticks > 0)
        {
            _inInlineCode ^= !_inFence && backticks % 2 == 1;
            PassThrough(segment, output);
            return;
        }

        var lead = 0;
        while (lead < segment.Length && IsPunctuation(segment[lead]))
        {
            lead++;
        }

        var end = lead;
        while (end < segment.Length && char.IsAsciiLetter(segment[end]))
        {
            end++;
        }

        var trail = end;
        while (trail < segment.Length && IsPunctuation(segment[trail]))
        {
            trail++;
        }

        if (end == lead || trail != segment.Length)
        {
            // Digits, URLs, paths, e-mail addresses, markup, apostrophes inside words, non-ASCII: never touched.
            PassThrough(segment, output);
            return;
        }

        var word = segment[lead..end];
        var sentenceStart = _atSentenceStart;
        _atSentenceStart = segment[end..].IndexOfAny(SentenceEnds) >= 0 && !(char.IsAsciiLetterUpper(word[0]) && word.Length <= 4);
        output.Append(segment[..lead]);
        var capitalised = sentenceStart && word.Length > 1 && char.IsAsciiLetterUpper(word[0]) && !word[1..].ContainsAnyInRange('A', 'Z');
        if (capitalised && word.Length <= MaxContextLength)
        {
            Span<char> lower = stackalloc char[word.Length];
            word.ToLowerInvariant(lower);
            if (_lexicon.TryGetGroup(lower, out var sentenceGroup))
            {
                var chosen = onCandidate(PreviousWord, lower, sentenceGroup);
                output.Append(char.ToUpperInvariant(chosen[0])).Append(chosen.AsSpan(1));
                SetPrevious(chosen);
                output.Append(segment[end..]);
                return;
            }
        }

        if (!word.ContainsAnyInRange('A', 'Z') && _lexicon.TryGetGroup(word, out var group))
        {
            var chosen = onCandidate(PreviousWord, word, group);
            output.Append(chosen);
            SetPrevious(chosen);
        }
        else
        {
            output.Append(word);
            SetPrevious(word);
        }

        output.Append(segment[end..]);
    }

    private static readonly System.Buffers.SearchValues<char> SentenceEnds = System.Buffers.SearchValues.Create(".!?");

    private ReadOnlySpan<char> PreviousWord => _previous.AsSpan(0, _previousLength);

    private void SetPrevious(ReadOnlySpan<char> word)
    {
        _previousLength = Math.Min(word.Length, MaxContextLength);
        for (var i = 0; i < _previousLength; i++)
        {
            _previous[i] = char.ToLowerInvariant(word[i]);
        }
    }

    private static bool IsPunctuation(char c) => c is '.' or ',' or ';' or ':' or '!' or '?' or '"' or '\'' or '(' or ')' or '-';
}
