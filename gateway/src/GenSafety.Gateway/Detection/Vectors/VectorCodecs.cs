using System.Collections.Concurrent;
using GenSafety.Detectors.Extraction;

namespace GenSafety.Gateway.Detection.Vectors;

/// <summary>
/// The <see cref="VectorCodec"/> per embedder dimension that the vector detectors share: the library's default
/// stored dimensions (128, fewer for a smaller embedder) and projection seed, so every replica reduces a vector the
/// same way. A state written under one embedder does not restore under another (the codec is in its fingerprint):
/// changing a tenant's embedder starts its clients afresh.
/// </summary>
public static class VectorCodecs
{
    private static readonly ConcurrentDictionary<int, VectorCodec> Codecs = new();

    /// <summary>Smallest vector length the codec takes.</summary>
    public const int MinDimensions = 8;

    /// <summary>Largest vector length the codec takes.</summary>
    public const int MaxDimensions = 4096;

    /// <summary>The codec for vectors of <paramref name="dimensions"/> values, or null outside 8–4096.</summary>
    public static VectorCodec? For(int dimensions)
        => dimensions is < MinDimensions or > MaxDimensions
            ? null
            : Codecs.GetOrAdd(dimensions, static d => new VectorCodec(d, Math.Min(d, VectorCodec.DefaultStoredDimensions)));

    /// <summary>A codec at the default stored dimensions, for sizing states.</summary>
    public static VectorCodec Largest => For(VectorCodec.DefaultStoredDimensions)!;
}
