using System.Text;

namespace GenSafety.Watermarking.Text.Lexical;

/// <summary>
/// Marks one streamed response chunk by chunk. A word may continue in the next chunk, so the trailing run of
/// non-whitespace is held back until whitespace or <see cref="Complete"/> ends it (at most one word, and never more
/// than the configured character limit). One instance per response; not thread-safe.
/// </summary>
public sealed class LexicalStreamMarker
{
    private readonly LexicalScanner _scanner;
    private readonly LexicalPreference _preference;
    private readonly int _maxHeld;
    private readonly bool _passThrough;
    private readonly StringBuilder _held = new();
    private readonly StringBuilder _output = new();
    private bool _heldIsLong;

    internal LexicalStreamMarker(LexicalScanner scanner, LexicalPreference preference, int maxHeld, bool passThrough)
    {
        _scanner = scanner;
        _preference = preference;
        _maxHeld = maxHeld;
        _passThrough = passThrough;
    }

    /// <summary>Candidate words seen so far.</summary>
    public int Candidates { get; private set; }

    /// <summary>Candidate words replaced by a synonym so far.</summary>
    public int Substitutions { get; private set; }

    /// <summary>Feeds the next chunk; returns the text that can be sent now (possibly empty).</summary>
    public string Append(string chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (_passThrough)
        {
            return chunk;
        }

        var lastSpace = chunk.Length - 1;
        while (lastSpace >= 0 && !char.IsWhiteSpace(chunk[lastSpace]))
        {
            lastSpace--;
        }

        _output.Clear();
        if (lastSpace < 0)
        {
            _held.Append(chunk);
            if (_held.Length > _maxHeld)
            {
                // A run this long is no lexicon word (a URL, base64, code): send it and the rest of it untouched.
                _scanner.PassThrough(_held.ToString(), _output);
                _held.Clear();
                _heldIsLong = true;
            }

            return _output.ToString();
        }

        _held.Append(chunk.AsSpan(0, lastSpace + 1));
        Flush();
        _held.Append(chunk.AsSpan(lastSpace + 1));
        return _output.ToString();
    }

    /// <summary>Ends the stream; returns the held-back rest.</summary>
    public string Complete()
    {
        if (_passThrough)
        {
            return string.Empty;
        }

        _output.Clear();
        Flush();
        return _output.ToString();
    }

    private void Flush()
    {
        var text = _held.ToString().AsSpan();
        _held.Clear();
        if (_heldIsLong)
        {
            var end = 0;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            _scanner.PassThrough(text[..end], _output);
            text = text[end..];
            _heldIsLong = false;
        }

        _scanner.Scan(text, _output, Choose);
    }

    private string Choose(ReadOnlySpan<char> previous, ReadOnlySpan<char> word, IReadOnlyList<string> group)
    {
        Candidates++;
        var preferred = _preference.Preferred(previous, group);
        if (!word.SequenceEqual(preferred))
        {
            Substitutions++;
        }

        return preferred;
    }
}
