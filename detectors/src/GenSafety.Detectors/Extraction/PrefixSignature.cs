using System.Runtime.CompilerServices;

namespace GenSafety.Detectors.Extraction;

/// <summary>
/// The MinHash signature of a prompt's opening: for each of <see cref="Length"/> seeded hash functions, the smallest
/// 16-bit hash over the character shingles of the first <see cref="HarvestingOptions.PrefixCharacters"/> normalised
/// characters. The share of equal positions estimates the Jaccard similarity of two openings' shingle sets.
/// <see cref="ushort.MaxValue"/> everywhere for an empty prompt.
/// </summary>
[InlineArray(Length)]
public struct PrefixSignature
{
    /// <summary>Hash functions, i.e. 16-bit values.</summary>
    public const int Length = 16;

    private ushort _element;
}
