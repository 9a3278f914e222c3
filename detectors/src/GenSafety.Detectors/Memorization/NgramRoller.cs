using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// The rolling state of <see cref="NgramHash"/> over a character stream: push one character, read the hash of the
/// last <c>width</c> characters once that many have been pushed.
/// </summary>
internal struct NgramRoller
{
    private readonly ulong[] _window; // the values of the window's characters, so each is looked up once
    private readonly ulong _leadingWeight;
    private ulong _polynomial;
    private long _pushed;
    private int _slot;

    public NgramRoller(int width)
    {
        _window = new ulong[width];
        _leadingWeight = NgramHash.LeadingWeight(width);
    }

    /// <summary>Characters pushed so far.</summary>
    public readonly long Pushed => _pushed;

    /// <summary>True once a whole window has been pushed.</summary>
    public readonly bool IsFull => _pushed >= _window.Length;

    /// <summary>Hash of the last window (valid when <see cref="IsFull"/>).</summary>
    public readonly ulong Hash => StableHash.Mix(_polynomial);

    /// <summary>
    /// Slides the window over every character of <paramref name="chars"/>, writing the hash after each into
    /// <paramref name="hashes"/>; returns the index of the first character after which the window is full
    /// (<paramref name="chars"/>' length when none; hashes before it mean nothing).
    /// </summary>
    public int PushAll(ReadOnlySpan<char> chars, Span<ulong> hashes)
    {
        var window = _window;
        var width = window.Length;
        var firstFull = (int)Math.Clamp(width - 1 - _pushed, 0, chars.Length);
        var start = 0;
        for (; start < chars.Length && _pushed < width; start++)
        {
            Push(chars[start]);
            hashes[start] = Hash;
        }

        // From here on a character always leaves the window: P' = (P − v_out·B^(w−1))·B + v_in.
        var polynomial = _polynomial;
        var slot = _slot;
        var leaving = _leadingWeight * NgramHash.Base;
        hashes = hashes[..chars.Length];
        for (var j = start; j < chars.Length; j++)
        {
            var value = NgramHash.CharValue(chars[j]);
            polynomial = polynomial * NgramHash.Base + value - window[slot] * leaving;
            window[slot] = value;
            slot = slot + 1 == width ? 0 : slot + 1;
            hashes[j] = StableHash.Mix(polynomial);
        }

        _polynomial = polynomial;
        _slot = slot;
        _pushed += chars.Length - start;
        return firstFull;
    }

    /// <summary>Slides the window one character.</summary>
    public void Push(char c)
    {
        if (_pushed >= _window.Length)
        {
            _polynomial -= _window[_slot] * _leadingWeight;
        }

        var value = NgramHash.CharValue(c);
        _polynomial = _polynomial * NgramHash.Base + value;
        _window[_slot] = value;
        _slot = _slot + 1 == _window.Length ? 0 : _slot + 1;
        _pushed++;
    }
}
