namespace GenSafety.Detectors.Images;

/// <summary>Settings of <see cref="ProtectedImageIndex"/> (section <see cref="SectionName"/>).</summary>
public sealed class ProtectedImageIndexOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "GenSafety:Memorization:Images";

    /// <summary>Largest Hamming distance (of 256 bits) that counts as a near-duplicate (default 31, PDQ's recommended match threshold).</summary>
    public int MaxDistance { get; set; } = 31;

    /// <summary>Least PDQ quality of a protected image (default 50): flatter images give hashes that match too much.</summary>
    public int MinQuality { get; set; } = 50;
}
