namespace GenSafety.ReferenceModel.Text;

/// <summary>
/// The tokens a model scores explicitly ("slots": every token seen in training, end-of-document included).
/// Every other emittable cl100k token shares one "unseen" probability.
/// </summary>
internal sealed class TokenVocabulary
{
    private readonly int[] _slotOf;

    public TokenVocabulary(int[] tokens, int idLimit, int emittableCount)
    {
        Tokens = tokens;
        _slotOf = new int[idLimit];
        Array.Fill(_slotOf, -1);
        for (var slot = 0; slot < tokens.Length; slot++)
        {
            _slotOf[tokens[slot]] = slot;
        }

        UnseenCount = emittableCount - tokens.Length;
    }

    /// <summary>Token id of each slot.</summary>
    public int[] Tokens { get; }

    /// <summary>Number of slots.</summary>
    public int Count => Tokens.Length;

    /// <summary>Number of emittable tokens without a slot.</summary>
    public int UnseenCount { get; }

    /// <summary>The slot of <paramref name="token"/>, or -1 when it has none.</summary>
    public int SlotOf(int token) => (uint)token < (uint)_slotOf.Length ? _slotOf[token] : -1;
}
