namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// Open-addressing hash table from context hash to context number (keys are already uniformly mixed 64-bit
/// hashes, so the low bits index the table directly). Immutable after construction, so reads are thread-safe.
/// </summary>
internal sealed class ContextIndex
{
    private readonly ulong[] _keys;
    private readonly int[] _values;
    private readonly int _mask;

    /// <summary>Builds the table for distinct <paramref name="keys"/>; key i maps to i.</summary>
    public ContextIndex(ReadOnlySpan<ulong> keys)
    {
        var capacity = 16;
        while (capacity < keys.Length * 2)
        {
            capacity <<= 1;
        }

        _mask = capacity - 1;
        _keys = new ulong[capacity];
        _values = new int[capacity];
        Array.Fill(_values, -1);
        for (var i = 0; i < keys.Length; i++)
        {
            var at = (int)keys[i] & _mask;
            while (_values[at] >= 0)
            {
                at = (at + 1) & _mask;
            }

            _keys[at] = keys[i];
            _values[at] = i;
        }

        Count = keys.Length;
    }

    public int Count { get; }

    public bool TryGetValue(ulong key, out int value)
    {
        for (var at = (int)key & _mask; ; at = (at + 1) & _mask)
        {
            value = _values[at];
            if (value < 0 || _keys[at] == key)
            {
                return value >= 0;
            }
        }
    }
}
