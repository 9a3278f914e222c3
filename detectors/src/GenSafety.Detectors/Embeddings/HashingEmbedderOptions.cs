namespace GenSafety.Detectors.Embeddings;

/// <summary>
/// Settings of <see cref="HashingEmbedder"/>, bound from <see cref="SectionName"/>
/// (environment: <c>GenSafety__Detection__Embeddings__Hashing__Dimensions=256</c>). Every replica that shares
/// state must use the same values: they define the vector space.
/// </summary>
public sealed class HashingEmbedderOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "GenSafety:Detection:Embeddings:Hashing";

    /// <summary>
    /// Vector length, 16 to 4096. Default 256. Powers of two spread n-grams exactly evenly over the positions; other
    /// lengths within a relative d/32768 (about 1% at 384).
    /// </summary>
    public int Dimensions { get; set; } = 256;

    /// <summary>Shortest character n-gram, 1 to 8. Default 3.</summary>
    public int MinNgram { get; set; } = 3;

    /// <summary>Longest character n-gram, <see cref="MinNgram"/> to 8. Default 5.</summary>
    public int MaxNgram { get; set; } = 5;

    /// <summary>
    /// Non-zero entries of the sparse random projection per n-gram (each ±1/√k at a hashed position), 1 to 16 and at
    /// most <see cref="Dimensions"/>. 1 is plain signed feature hashing; more spreads each n-gram and makes
    /// collisions matter less. Default 4.
    /// </summary>
    public int NonZerosPerNgram { get; set; } = 4;

    /// <summary>Seed of the hash functions and so of the projection. Default 42.</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Lower-case the text (invariant culture) before hashing. Default true.</summary>
    public bool LowerCase { get; set; } = true;

    /// <summary>Characters of a text that are embedded, 16 to 1,048,576; the rest is ignored, which bounds the cost. Default 8192.</summary>
    public int MaxCharacters { get; set; } = 8192;
}
