namespace GenSafety.Detectors.Extraction;

/// <summary>Settings of <see cref="WindowMmdDetector"/>, bound from <see cref="SectionName"/>.</summary>
public sealed class WindowMmdOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "GenSafety:Detection:Extraction:WindowMmd";

    /// <summary>
    /// m: the client's latest query vectors compared with the reference, 8 to 1024. The detection paper
    /// (arXiv 2606.05725) compares traffic windows of 1,500 queries; per client that is too much state, so the
    /// default is 64 (9 KB at 128 stored dimensions), with the threshold calibrated for the same m.
    /// </summary>
    public int WindowSize { get; set; } = 64;
}
