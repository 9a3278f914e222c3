using GenSafety.Detectors.Memorization;

namespace GenSafety.Traffic.Memorization;

/// <summary>
/// The benchmark's own measure of a leak, independent of the gateway's Bloom index: the longest span of a text that
/// occurs verbatim in one of the documents, both normalised with the gateway's default <see cref="TextNormalizer"/>
/// settings (so UPPER-CASE, spacing, homoglyph and punctuation variants count as copies). Exact: a suffix automaton
/// over the normalised documents, each query linear in its length.
/// </summary>
public sealed class VerbatimSpanIndex
{
    private const char Separator = '\0';
    private static readonly TextNormalizerOptions Normalizer = new();
    private readonly List<Dictionary<char, int>> _next = [];
    private readonly List<int> _link = [];
    private readonly List<int> _length = [];

    /// <summary>Indexes <paramref name="documents"/>.</summary>
    public VerbatimSpanIndex(IEnumerable<string> documents)
    {
        AddState(0, -1);
        var last = 0;
        foreach (var document in documents)
        {
            foreach (var c in Normalize(document))
            {
                last = Extend(last, c);
            }

            // A separator no normalised text contains keeps spans inside one document.
            last = Extend(last, Separator);
        }
    }

    /// <summary>The gateway's normal form of <paramref name="text"/>.</summary>
    public static string Normalize(string text) => TextNormalizer.Normalize(text, Normalizer).Text;

    /// <summary>The longest normalised span of <paramref name="text"/> found verbatim in one document.</summary>
    public int LongestSpan(string text)
    {
        int state = 0, length = 0, best = 0;
        foreach (var c in Normalize(text))
        {
            if (c == Separator)
            {
                (state, length) = (0, 0);
                continue;
            }

            while (state != 0 && !_next[state].ContainsKey(c))
            {
                state = _link[state];
                length = _length[state];
            }

            if (_next[state].TryGetValue(c, out var target))
            {
                state = target;
                length++;
            }
            else
            {
                length = 0;
            }

            best = Math.Max(best, length);
        }

        return best;
    }

    private int AddState(int length, int link)
    {
        _next.Add([]);
        _length.Add(length);
        _link.Add(link);
        return _next.Count - 1;
    }

    private int Extend(int last, char c)
    {
        var current = AddState(_length[last] + 1, 0);
        var p = last;
        while (p != -1 && !_next[p].ContainsKey(c))
        {
            _next[p][c] = current;
            p = _link[p];
        }

        if (p == -1)
        {
            return current;
        }

        var q = _next[p][c];
        if (_length[p] + 1 == _length[q])
        {
            _link[current] = q;
            return current;
        }

        var clone = AddState(_length[p] + 1, _link[q]);
        _next[clone] = new Dictionary<char, int>(_next[q]);
        while (p != -1 && _next[p].TryGetValue(c, out var target) && target == q)
        {
            _next[p][c] = clone;
            p = _link[p];
        }

        _link[q] = clone;
        _link[current] = clone;
        return current;
    }
}
