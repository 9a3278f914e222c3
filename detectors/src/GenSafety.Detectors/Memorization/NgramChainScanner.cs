namespace GenSafety.Detectors.Memorization;

/// <summary>
/// The hot loop of one-shot and streamed matching: rolls the n-gram hash over normalised characters, probes the
/// index and chains hits (a hit at position p extends the chain ending at p − w). It works in batches: first the
/// window hashes of up to <see cref="BatchSize"/> characters (a serial chain of multiplications), then their
/// probes, which are independent of one another, so their cache misses overlap.
/// </summary>
internal sealed class NgramChainScanner
{
    private const int BatchSize = 64;

    private readonly ProtectedTextIndex _index;
    private readonly int[] _chains;
    private readonly ulong[] _hashes = new ulong[BatchSize]; // a field, not a stackalloc: no zeroing per streamed delta
    private NgramRoller _roller;
    private int _slot;
    private long _pushed;

    public NgramChainScanner(ProtectedTextIndex index)
    {
        _index = index;
        _chains = new int[index.NgramWidth];
        _roller = new NgramRoller(index.NgramWidth);
    }

    /// <summary>Longest chain so far (the first one when several are as long).</summary>
    public int LongestChain { get; private set; }

    /// <summary>Normalised offset where <see cref="LongestChain"/> ends (exclusive).</summary>
    public long LongestEnd { get; private set; }

    /// <summary>Hash of the last n-gram of <see cref="LongestChain"/>.</summary>
    public ulong LongestHash { get; private set; }

    /// <summary>Hash of the n-gram that completed the stopping chain.</summary>
    public ulong StopHash { get; private set; }

    /// <summary>
    /// Scans <paramref name="chars"/>; returns the index of the first character that completes a chain of
    /// <paramref name="stopChain"/> hits (the scanner must not be used after that), or −1 when none does.
    /// </summary>
    public int Push(ReadOnlySpan<char> chars, int stopChain)
    {
        var hashes = _hashes.AsSpan();
        var w = _chains.Length;
        var chains = _chains;
        for (var from = 0; from < chars.Length; from += BatchSize)
        {
            var batch = chars.Slice(from, Math.Min(BatchSize, chars.Length - from));
            var full = _roller.PushAll(batch, hashes);
            var hits = 0UL;
            for (var j = full; j < batch.Length; j++)
            {
                hits |= _index.IsIndexed(hashes[j]) ? 1UL << j : 0;
            }

            var slot = _slot;
            if (hits == 0)
            {
                // The usual batch: every chain it passes breaks. (Slots of positions before the first full window
                // are still 0, so clearing them too changes nothing.)
                _slot = ClearChains(slot, batch.Length);
                continue;
            }

            for (var j = 0; j < batch.Length; j++)
            {
                slot = slot + 1 == w ? 0 : slot + 1; // (p + 1) mod w: the chain ending w characters earlier lives here
                if (j < full)
                {
                    continue;
                }

                var chain = chains[slot] = (hits >> j & 1) != 0 ? chains[slot] + 1 : 0;
                if (chain > LongestChain)
                {
                    (LongestChain, LongestEnd, LongestHash) = (chain, _pushed + from + j + 1, hashes[j]);
                }

                if (chain >= stopChain)
                {
                    StopHash = hashes[j];
                    return from + j;
                }
            }

            _slot = slot;
        }

        _pushed += chars.Length;
        return -1;
    }

    // Zeroes the chains of the next count slots after slot (mod w); returns the last of them.
    private int ClearChains(int slot, int count)
    {
        var w = _chains.Length;
        var first = slot + 1 == w ? 0 : slot + 1;
        if (count >= w)
        {
            Array.Clear(_chains);
        }
        else if (first + count <= w)
        {
            _chains.AsSpan(first, count).Clear();
        }
        else
        {
            _chains.AsSpan(first).Clear();
            _chains.AsSpan(0, first + count - w).Clear();
        }

        return (int)((slot + (long)count) % w);
    }
}
