using GenSafety.Watermarking.Keys;

namespace GenSafety.Watermarking.Text.Lexical;

/// <summary>
/// The keyed choice among synonyms in context: the member of the group with the smallest
/// SipHash-2-4(key, previous word ‖ 0x1F ‖ member). Without the key each member of a k-word group is the preferred
/// one with probability 1/k, independently for every distinct (previous word, group) pair.
/// </summary>
internal readonly struct LexicalPreference
{
    private const int MaxWordLength = 64;

    private readonly SipHash24 _hash;

    public LexicalPreference(WatermarkKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Purpose != KeyPurpose.Lexical)
        {
            throw new ArgumentException($"The lexical scheme needs a {KeyPurpose.Lexical} key, not a {key.Purpose} key.", nameof(key));
        }

        _hash = new SipHash24(key.Material);
    }

    /// <summary>The preferred member of <paramref name="group"/> after <paramref name="previous"/>.</summary>
    public string Preferred(ReadOnlySpan<char> previous, IReadOnlyList<string> group)
    {
        var best = group[0];
        var bestHash = Hash(previous, best);
        for (var i = 1; i < group.Count; i++)
        {
            var hash = Hash(previous, group[i]);
            if (hash < bestHash)
            {
                best = group[i];
                bestHash = hash;
            }
        }

        return best;
    }

    private ulong Hash(ReadOnlySpan<char> previous, string word)
    {
        // Words are ASCII letters (the scanner guarantees it), so one byte per char.
        Span<byte> buffer = stackalloc byte[LexicalScanner.MaxContextLength + 1 + MaxWordLength];
        var length = 0;
        foreach (var c in previous)
        {
            buffer[length++] = (byte)c;
        }

        buffer[length++] = 0x1F;
        foreach (var c in word.AsSpan(0, Math.Min(word.Length, MaxWordLength)))
        {
            buffer[length++] = (byte)c;
        }

        return _hash.Hash(buffer[..length]);
    }
}
