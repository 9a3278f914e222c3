namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Prefix-prompting extraction (Carlini et al. 2021): a prompt that carries a long verbatim prefix of a protected
/// document invites the model to complete it. The prompt goes through the same index as outputs; a chain of at
/// least <see cref="MinChunks"/> indexed n-grams (one chunk: any copy of 2w − 1 = 99 characters) is a signal whose
/// score grows to 1 at the output stop threshold's chain length.
/// </summary>
public sealed class ProtectedPrefixDetector
{
    private readonly ProtectedTextIndex _index;

    /// <summary>Creates a detector over <paramref name="index"/>.</summary>
    public ProtectedPrefixDetector(ProtectedTextIndex index, int minChunks = 1)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentOutOfRangeException.ThrowIfLessThan(minChunks, 1);
        _index = index;
        MinChunks = minChunks;
    }

    /// <summary>Chain length (indexed n-grams) from which a prompt is flagged.</summary>
    public int MinChunks { get; }

    /// <summary>Inspects a prompt (all its message texts joined by the caller).</summary>
    public ProtectedPrefixSignal Inspect(string prompt)
    {
        var match = _index.FindLongestMatch(prompt);
        if (match.Chunks < MinChunks)
        {
            return new ProtectedPrefixSignal(0, match.Length, null);
        }

        var score = Math.Min(1.0, (double)match.Chunks / Math.Max(_index.RequiredChunks, MinChunks));
        return new ProtectedPrefixSignal(score, match.Length, match.DocumentId);
    }
}
