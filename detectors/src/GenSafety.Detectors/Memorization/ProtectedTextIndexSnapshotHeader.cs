namespace GenSafety.Detectors.Memorization;

/// <summary>The fields of a stored <see cref="ProtectedTextIndex"/> header (see <see cref="ProtectedTextIndexSnapshot"/>).</summary>
/// <param name="NgramWidth">Width of the indexed n-grams.</param>
/// <param name="HashCount">Bloom hash count k.</param>
/// <param name="NormalizerFingerprint">The normaliser's <see cref="TextNormalizerOptions.Fingerprint"/>.</param>
/// <param name="BitCount">Bloom bits m.</param>
/// <param name="NgramCount">N-grams added.</param>
/// <param name="Version">The index's <see cref="ProtectedTextIndex.Version"/> when stored.</param>
/// <param name="DocumentCount">Documents added.</param>
/// <param name="ChunkBytes">Bytes per chunk (the last may be shorter).</param>
/// <param name="ChunkCount">Number of chunks.</param>
/// <param name="Checksum">Checksum of the whole bit array.</param>
public sealed record ProtectedTextIndexSnapshotHeader(
    int NgramWidth, int HashCount, int NormalizerFingerprint, long BitCount, long NgramCount, long Version,
    int DocumentCount, int ChunkBytes, int ChunkCount, ulong Checksum);
