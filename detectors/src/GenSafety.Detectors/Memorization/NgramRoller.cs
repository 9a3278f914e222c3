using GenSafety.Detectors.Randomness;

namespace GenSafety.Detectors.Memorization;

/// <summary>
/// The rolling state of <see cref="NgramHash"/> over a character stream: push one character, read the hash of the
/// last <c>width</c> characters once that many have been pushed.
/// </summary>
internal struct NgramRoller
{
    private readonly char[] _window;
    private readonly ulong _leadingWeight;
    private ulong _polynomial;
    private long _pushed;
    private int _slot;

    public NgramRoller(int width)
    {
        _window = new char[width];
        _leadingWeight = NgramHash.LeadingWeight(width);
    }

    /// <summary>Characters pushed so far.</summary>
    public readonly long Pushed => _pushed;

    /// <summary>True once a whole window has been pushed.</summary>
    public readonly bool IsFull => _pushed >= _window.Length;

    /// <summary>Hash of the last window (valid when <see cref="IsFull"/>).</summary>
    public readonly ulong Hash => StableHash.Mix(_polynomial);

    /// <summary>Slides the window one character.</summary>
    public void Push(char c)
    {
        if (_pushed >= _window.Length)
        {
            _polynomial -= NgramHash.CharValue(_window[_slot]) * _leadingWeight;
        }

        _polynomial = _polynomial * NgramHash.Base + NgramHash.CharValue(c);
        _window[_slot] = c;
        _slot = _slot + 1 == _window.Length ? 0 : _slot + 1;
        _pushed++;
    }
}
