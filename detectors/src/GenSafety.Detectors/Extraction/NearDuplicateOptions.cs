namespace GenSafety.Detectors.Extraction;

/// <summary>
/// Settings of <see cref="NearDuplicateDetector"/>, bound from <see cref="SectionName"/>. SEAT (Zhang, Chen, Wagner,
/// AISec 2021) sets its threshold at the 0.1th percentile of benign k-NN mean distances; the default
/// <see cref="Threshold"/> is that percentile as <see cref="DetectorCalibration.NearDuplicateThreshold"/> computes it
/// on the benign-like hashing-embedder traffic of this library's tests (default codec). Recalibrate per embedder and
/// tenant.
/// </summary>
public sealed class NearDuplicateOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "GenSafety:Detection:Extraction:NearDuplicate";

    /// <summary>The calibrated default of <see cref="Threshold"/> (see the class remarks).</summary>
    public const double DefaultThreshold = 0.76;

    /// <summary>Recent query vectors kept per client, <see cref="Neighbours"/> + 1 to 1024 (SEAT keeps the whole history). Default 64.</summary>
    public int HistoryCapacity { get; set; } = 64;

    /// <summary>k: nearest earlier queries averaged, 1 to 64. Default 5.</summary>
    public int Neighbours { get; set; } = 5;

    /// <summary>
    /// A query whose mean distance to its k nearest earlier queries is at most this (L2 between stored unit vectors,
    /// 0 to 2) counts as a near-duplicate. Default <see cref="DefaultThreshold"/>.
    /// </summary>
    public double Threshold { get; set; } = DefaultThreshold;

    /// <summary>Latest measured queries over which the share of near-duplicates is the score, 1 to 64. Default 32.</summary>
    public int RecentQueries { get; set; } = 32;
}
