namespace GenSafety.Detectors.Extraction;

/// <summary>A scored link between clients <paramref name="A"/> and <paramref name="B"/> (indices into the caller's client list).</summary>
/// <param name="A">The first client.</param>
/// <param name="B">The second client.</param>
/// <param name="Score">Link score, e.g. <see cref="LinkEvidence.Score"/>.</param>
public readonly record struct ClientLink(int A, int B, double Score);
