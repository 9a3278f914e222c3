namespace GenSafety.Detectors.Memorization;

// The fast path for runs of ASCII: one table lookup per character and no per-character calls.
public sealed partial class IncrementalNormalizer
{
    private const ushort FoldSpace = 0xFFFF;
    private const ushort FoldDrop = 0xFFFE;

    private static readonly ushort[] AsciiFoldKeepingPunctuation = BuildAsciiFold(removePunctuation: false);
    private static readonly ushort[] AsciiFoldRemovingPunctuation = BuildAsciiFold(removePunctuation: true);

    // What EmitAscii does with each ASCII character: the folded character, a whitespace mark or a drop mark.
    private static ushort[] BuildAsciiFold(bool removePunctuation)
    {
        // Built from its own copy of the kinds: static initialisers of partial files run in no promised order.
        var kinds = BuildAsciiKinds();
        var fold = new ushort[128];
        for (var c = 0; c < fold.Length; c++)
        {
            fold[c] = kinds[c] switch
            {
                AsciiSpace => FoldSpace,
                AsciiPunctuation when removePunctuation => FoldDrop,
                AsciiUpper => (ushort)(c | 0x20),
                _ => (ushort)c,
            };
        }

        return fold;
    }

    // Normalises text[from..] up to the last ASCII character before a non-ASCII one (or the end) and returns the
    // index of that last character: it stays for the unit path, because a combining mark may still follow it.
    // Every other character of the run is followed by ASCII, so no mark can attach to it and it is a unit alone.
    private int AppendAsciiRun(ReadOnlySpan<char> text, int from)
    {
        var run = text[from..];
        var length = run.IndexOfAnyExceptInRange('\0', '\u007F');
        if (length < 0)
        {
            length = run.Length;
        }

        var count = length - 1;
        var needed = _outputLength + count + 1;
        if (needed > _output.Length)
        {
            var size = Math.Max(needed, _output.Length * 2);
            Array.Resize(ref _output, size);
            Array.Resize(ref _outputOffsets, size);
        }

        var fold = _asciiFold;
        var output = _output;
        var offsets = _outputOffsets;
        var written = _outputLength;
        var pending = _pendingSpace;
        var emitted = _emittedAny;
        var spaceStart = _spaceStart;
        var offset = Consumed + from;
        foreach (var c in run[..count])
        {
            var folded = fold[c];
            if (folded < FoldDrop)
            {
                if (pending)
                {
                    pending = false;
                    if (emitted)
                    {
                        output[written] = ' ';
                        offsets[written++] = spaceStart;
                    }
                }

                output[written] = (char)folded;
                offsets[written++] = offset;
                emitted = true;
            }
            else if (folded == FoldSpace && !pending)
            {
                pending = true;
                spaceStart = offset;
            }

            offset++;
        }

        _outputLength = written;
        _pendingSpace = pending;
        _emittedAny = emitted;
        _spaceStart = spaceStart;
        return from + count;
    }
}
