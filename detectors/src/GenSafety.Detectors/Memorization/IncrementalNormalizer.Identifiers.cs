namespace GenSafety.Detectors.Memorization;

// Identifier canonicalisation (for code).
public sealed partial class IncrementalNormalizer
{
    // Returns true when the identifier stage took the character.
    private bool Identifier(char c, long start)
    {
        var word = char.IsLetterOrDigit(c) || c == '_';
        if (_inIdentifier)
        {
            if (word)
            {
                if (_identifierLength < _identifier.Length)
                {
                    _identifierOffsets[_identifierLength] = start;
                }

                _identifierLength++;
                if (_identifierLength <= _identifier.Length)
                {
                    _identifier[_identifierLength - 1] = c;
                }

                return true;
            }

            FlushIdentifier();
        }
        else if (_inNumber)
        {
            if (word)
            {
                Emit(c, start);
                return true;
            }

            _inNumber = false;
        }

        if (char.IsLetter(c) || c == '_')
        {
            _inIdentifier = true;
            _identifierStart = start;
            _identifier[0] = c;
            _identifierOffsets[0] = start;
            _identifierLength = 1;
            return true;
        }

        _inNumber = char.IsDigit(c);
        return false;
    }

    private void FlushIdentifier()
    {
        if (!_inIdentifier)
        {
            return;
        }

        _inIdentifier = false;
        if (_identifierLength <= _identifier.Length && CodeKeywords.Contains(_identifier.AsSpan(0, _identifierLength)))
        {
            for (var i = 0; i < _identifierLength; i++)
            {
                Emit(_identifier[i], _identifierOffsets[i]);
            }
        }
        else
        {
            Emit(TextNormalizer.IdentifierPlaceholder, _identifierStart);
        }
    }
}
