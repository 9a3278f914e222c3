namespace GenSafety.Detectors.Images;

/// <summary>The nearest protected image to a query hash.</summary>
/// <param name="ImageId">The protected image (audit only, never for the client).</param>
/// <param name="Distance">Hamming distance in bits.</param>
/// <param name="Variant">Which symmetry of the protected image was nearest (a mirrored or rotated copy shows here).</param>
/// <param name="IsNearDuplicate">True when <see cref="Distance"/> is within the index's threshold.</param>
public sealed record ImageMatch(string ImageId, int Distance, PdqDihedral Variant, bool IsNearDuplicate);
