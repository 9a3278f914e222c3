namespace GenSafety.ReferenceModel.Text;

/// <summary>64-bit hash of an n-gram context, extended one token at a time from the newest token backwards.</summary>
internal static class ContextHash
{
    /// <summary>Hash of the empty context.</summary>
    public const ulong Empty = 0x243F6A8885A308D3UL;

    /// <summary>Extends <paramref name="hash"/> with one older token (SplitMix64 finalizer).</summary>
    public static ulong Extend(ulong hash, int token)
    {
        var h = hash ^ ((ulong)(uint)token + 0x9E3779B97F4A7C15UL);
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 31;
        h *= 0x94D049BB133111EBUL;
        h ^= h >> 29;
        return h;
    }
}
