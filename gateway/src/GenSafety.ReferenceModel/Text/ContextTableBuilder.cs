namespace GenSafety.ReferenceModel.Text;

/// <summary>Accumulates the context tables of an n-gram model, one context length at a time.</summary>
internal sealed class ContextTableBuilder
{
    private readonly List<ulong> _keys = [];
    private readonly List<int> _start = [];
    private readonly List<int> _distinct = [];
    private readonly List<int> _total = [];
    private readonly List<int> _entrySlot = [];
    private readonly List<int> _entryCount = [];

    /// <summary>
    /// Adds the contexts of one level from (context hash, next slot) pairs sorted by hash then slot; returns the
    /// number of distinct next tokens of each context of the level.
    /// </summary>
    public Dictionary<ulong, int> AddLevel(ulong[] keys, int[] next, int count)
    {
        var distinctByKey = new Dictionary<ulong, int>();
        for (var i = 0; i < count; i++)
        {
            var newContext = i == 0 || keys[i] != keys[i - 1];
            if (newContext)
            {
                _keys.Add(keys[i]);
                _start.Add(_entrySlot.Count);
                _distinct.Add(0);
                _total.Add(0);
            }

            if (newContext || next[i] != next[i - 1])
            {
                _entrySlot.Add(next[i]);
                _entryCount.Add(0);
                _distinct[^1]++;
            }

            _entryCount[^1]++;
            _total[^1]++;
            if (i == count - 1 || keys[i + 1] != keys[i])
            {
                distinctByKey[keys[i]] = _distinct[^1];
            }
        }

        return distinctByKey;
    }

    public NGramTables Build(int[] unigramCounts, long tokenCount) => new()
    {
        Contexts = new ContextIndex(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_keys)),
        ContextStart = _start.ToArray(),
        ContextDistinct = _distinct.ToArray(),
        ContextTotal = _total.ToArray(),
        EntrySlot = _entrySlot.ToArray(),
        EntryCount = _entryCount.ToArray(),
        UnigramCounts = unigramCounts,
        TokenCount = tokenCount,
    };
}
