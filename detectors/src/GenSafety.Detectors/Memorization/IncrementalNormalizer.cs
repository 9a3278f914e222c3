using System.Globalization;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Incremental <see cref="TextNormalizer"/> for one stream of text: feed it original text in pieces of any size;
/// it appends normalised characters, each with the offset of its source in the whole stream, to
/// <see cref="Output"/>/<see cref="OutputOffsets"/> (drain them with <see cref="ClearOutput"/>). The result equals
/// <see cref="TextNormalizer.Normalize"/> of the concatenation, wherever the pieces were split. Characters whose
/// output depends on what follows (a letter that a combining mark may follow, an identifier, whitespace) are held
/// until it arrives; <see cref="PendingFrom"/> says where that held part starts.
/// </summary>
public sealed partial class IncrementalNormalizer
{
    private const int MaxUnitLength = 32;

    private static readonly byte[] AsciiKinds = BuildAsciiKinds();

    private readonly TextNormalizerOptions _options;
    private readonly bool _asciiFastPath;
    private readonly bool _removePunctuation;
    private readonly bool _asciiRuns;
    private readonly ushort[] _asciiFold;
    private readonly char[] _unit = new char[MaxUnitLength];
    private readonly char[] _identifier = new char[CodeKeywords.MaxLength];
    private readonly long[] _identifierOffsets = new long[CodeKeywords.MaxLength];
    private char[] _decomposed = new char[64];
    private char[] _output = new char[256];
    private long[] _outputOffsets = new long[256];
    private int _outputLength;
    private int _unitLength;
    private long _unitStart;
    private int _identifierLength;
    private bool _inIdentifier;
    private bool _inNumber;
    private long _identifierStart;
    private bool _pendingSpace;
    private long _spaceStart;
    private bool _emittedAny;

    /// <summary>Creates a stream normalising with <paramref name="options"/>.</summary>
    public IncrementalNormalizer(TextNormalizerOptions options)
        : this(options, asciiRuns: true)
    {
    }

    // asciiRuns: false keeps every character on the unit path (the reference the run fast path is tested against).
    internal IncrementalNormalizer(TextNormalizerOptions options, bool asciiRuns)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _removePunctuation = options.RemovePunctuation;
        _asciiFastPath = !options.CanonicalizeIdentifiers;
        _asciiRuns = asciiRuns && _asciiFastPath;
        _asciiFold = _removePunctuation ? AsciiFoldRemovingPunctuation : AsciiFoldKeepingPunctuation;
    }

    /// <summary>Original characters consumed so far.</summary>
    public long Consumed { get; private set; }

    /// <summary>Normalised characters produced and not yet cleared.</summary>
    public ReadOnlySpan<char> Output => _output.AsSpan(0, _outputLength);

    /// <summary>For each character of <see cref="Output"/>, the offset of its source in the original stream.</summary>
    public ReadOnlySpan<long> OutputOffsets => _outputOffsets.AsSpan(0, _outputLength);

    /// <summary>
    /// Offset of the first original character whose normalised output is not produced yet (held until more text
    /// or <see cref="Complete"/>); <see cref="Consumed"/> when nothing is held.
    /// </summary>
    public long PendingFrom
    {
        get
        {
            var from = Consumed;
            if (_unitLength > 0)
            {
                from = Math.Min(from, _unitStart);
            }

            if (_inIdentifier)
            {
                from = Math.Min(from, _identifierStart);
            }

            return _pendingSpace ? Math.Min(from, _spaceStart) : from;
        }
    }

    /// <summary>Forgets the produced output (after the caller has read it).</summary>
    public void ClearOutput() => _outputLength = 0;

    /// <summary>Consumes the next piece of original text.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (_asciiRuns && c < '\u0080' && i + 1 < text.Length && text[i + 1] < '\u0080')
            {
                FlushUnit();
                i = AppendAsciiRun(text, i);
                c = text[i];
            }

            if (_unitLength > 0 && _unitLength < MaxUnitLength && Continues(c, _unit[_unitLength - 1]))
            {
                _unit[_unitLength++] = c;
            }
            else
            {
                FlushUnit();
                _unit[0] = c;
                _unitLength = 1;
                _unitStart = Consumed + i;
            }
        }

        Consumed += text.Length;
    }

    /// <summary>Ends the stream: produces everything still held (trailing whitespace produces nothing).</summary>
    public void Complete()
    {
        FlushUnit();
        FlushIdentifier();
        _inNumber = false;
        _pendingSpace = false;
    }

    // A combining mark or the low half of a surrogate pair belongs to the character before it.
    private static bool Continues(char c, char previous) =>
        char.IsLowSurrogate(c) ? char.IsHighSurrogate(previous)
        : c >= '\u0300' && CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private void FlushUnit()
    {
        if (_unitLength == 0)
        {
            return;
        }

        var start = _unitStart;
        if (_unitLength == 1 && _unit[0] < '\u0080')
        {
            var c = _unit[0];
            _unitLength = 0;
            if (_asciiFastPath)
            {
                EmitAscii(c, start);
            }
            else
            {
                Fold(c, start);
            }

            return;
        }

        var length = Decompose(_unit.AsSpan(0, _unitLength));
        _unitLength = 0;
        for (var i = 0; i < length; i++)
        {
            var isPair = char.IsHighSurrogate(_decomposed[i]) && i + 1 < length;
            var category = isPair
                ? CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(_decomposed[i], _decomposed[i + 1]))
                : CharUnicodeInfo.GetUnicodeCategory(_decomposed[i]);
            if (category == UnicodeCategory.Format
                || category == UnicodeCategory.NonSpacingMark && (_options.StripDiacritics || IsVariationSelector(_decomposed[i]))
                || _options.StripDiacritics && category is UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                i += isPair ? 1 : 0;
                continue;
            }

            if (isPair)
            {
                // Outside the BMP there is no case folding or homoglyph entry; keep both halves.
                Token(_decomposed[i], start);
                Token(_decomposed[++i], start);
                continue;
            }

            Fold(_decomposed[i], start);
        }
    }

    private void Fold(char c, long start)
    {
        if (c is >= 'A' and <= 'Z')
        {
            c = (char)(c | 0x20);
        }
        else if (c >= '\u0080')
        {
            var latin = _options.FoldHomoglyphs ? Confusables.Fold(c) : '\0';
            if (latin == '\0')
            {
                c = char.ToLowerInvariant(c);
                latin = _options.FoldHomoglyphs ? Confusables.Fold(c) : '\0';
            }

            if (latin != '\0')
            {
                c = latin;
            }
            else if (c == '\u00DF')
            {
                Token('s', start);
                c = 's';
            }
            else if (c == '\u03C2')
            {
                c = '\u03C3'; // final sigma folds to sigma, as in Unicode case folding
            }
        }

        Token(c, start);
    }

    private void Token(char c, long start)
    {
        if (_options.CanonicalizeIdentifiers && Identifier(c, start))
        {
            return;
        }

        Emit(c, start);
    }
}
