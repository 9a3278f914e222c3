namespace GenSafety.Watermarking.Images;

/// <summary>
/// Raw hard decisions under one key, before list decoding and testing: a diagnostic (bit accuracy in benchmarks),
/// not a verdict. On an unmarked image the bits are coin flips.
/// </summary>
/// <param name="RecordId">The id bits, each decided by the sign of its sites' summed soft values.</param>
/// <param name="TagAgreement">Share of tag sites agreeing with the tag of <paramref name="RecordId"/> (≈ ½ when unmarked or when any id bit is wrong).</param>
/// <param name="MeanSoftMagnitude">Mean |soft value| of the sites read towards the decided bit (1 = every site exactly on its lattice).</param>
public sealed record ImageWatermarkReading(ulong RecordId, double TagAgreement, double MeanSoftMagnitude);
