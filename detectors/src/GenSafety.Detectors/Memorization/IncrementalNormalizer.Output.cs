namespace GenSafety.Detectors.Memorization;

// Punctuation removal, whitespace collapsing and the output buffer.
public sealed partial class IncrementalNormalizer
{
    private void Emit(char c, long start)
    {
        if (char.IsWhiteSpace(c) || char.IsControl(c))
        {
            if (!_pendingSpace)
            {
                _pendingSpace = true;
                _spaceStart = start;
            }

            return;
        }

        if (_options.RemovePunctuation && char.IsPunctuation(c))
        {
            return;
        }

        WriteAfterPendingSpace(c, start);
    }

    private const byte AsciiOther = 0;
    private const byte AsciiUpper = 1;
    private const byte AsciiSpace = 2;
    private const byte AsciiPunctuation = 3;

    private static byte[] BuildAsciiKinds()
    {
        var kinds = new byte[128];
        for (var c = 0; c < kinds.Length; c++)
        {
            kinds[c] = c is >= 'A' and <= 'Z' ? AsciiUpper
                : char.IsWhiteSpace((char)c) || char.IsControl((char)c) ? AsciiSpace
                : char.IsPunctuation((char)c) ? AsciiPunctuation
                : AsciiOther;
        }

        return kinds;
    }

    // The common case in one step: an ASCII character with no combining mark, identifiers not canonicalised.
    private void EmitAscii(char c, long start)
    {
        switch (AsciiKinds[c])
        {
            case AsciiSpace:
                if (!_pendingSpace)
                {
                    _pendingSpace = true;
                    _spaceStart = start;
                }

                return;
            case AsciiPunctuation when _removePunctuation:
                return;
            case AsciiUpper:
                c = (char)(c | 0x20);
                break;
        }

        WriteAfterPendingSpace(c, start);
    }

    // A collapsed whitespace run becomes one space, written only between two kept characters.
    private void WriteAfterPendingSpace(char c, long start)
    {
        if (_pendingSpace)
        {
            _pendingSpace = false;
            if (_emittedAny)
            {
                Write(' ', _spaceStart);
            }
        }

        Write(c, start);
        _emittedAny = true;
    }

    private void Write(char c, long start)
    {
        if (_outputLength == _output.Length)
        {
            Array.Resize(ref _output, _output.Length * 2);
            Array.Resize(ref _outputOffsets, _outputOffsets.Length * 2);
        }

        _output[_outputLength] = c;
        _outputOffsets[_outputLength++] = start;
    }
}
