namespace GenSafety.Detectors.Images;

/// <summary>A PDQ hash with its quality (0–100; below 50 the image is too flat for the hash to be trusted).</summary>
/// <param name="Hash">The hash.</param>
/// <param name="Quality">Gradient-based quality, 0–100.</param>
public readonly record struct PdqResult(PdqHash Hash, int Quality);
