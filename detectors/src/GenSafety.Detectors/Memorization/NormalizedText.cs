namespace GenSafety.Detectors.Memorization;

/// <summary>
/// Normalised text with a map back to the original: normalised character <c>i</c> came from the original
/// character (or combined character sequence) that starts at <see cref="SourceStart"/>(i).
/// </summary>
public sealed class NormalizedText
{
    private readonly int[] _sourceStarts;

    internal NormalizedText(string text, int[] sourceStarts, int sourceLength)
    {
        Text = text;
        _sourceStarts = sourceStarts;
        SourceLength = sourceLength;
    }

    /// <summary>The normalised text.</summary>
    public string Text { get; }

    /// <summary>Length of the original text.</summary>
    public int SourceLength { get; }

    /// <summary>
    /// Offset in the original text where the source of normalised character <paramref name="normalizedIndex"/>
    /// starts; <see cref="SourceLength"/> when the index is the normalised length. Cutting the original text
    /// there keeps exactly the normalised characters before the index (and whatever was folded away between).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative or past the normalised length.</exception>
    public int SourceStart(int normalizedIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(normalizedIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(normalizedIndex, Text.Length);
        return normalizedIndex == Text.Length ? SourceLength : _sourceStarts[normalizedIndex];
    }
}
