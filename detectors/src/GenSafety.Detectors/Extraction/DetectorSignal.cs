namespace GenSafety.Detectors.Extraction;

/// <summary>
/// What a stream detector concluded after an observation: a score for fusion, a short fixed reason (never prompt
/// text) and the numbers behind it.
/// </summary>
/// <param name="Score">
/// Suspicion in [0, 1]. For the statistical tests (PRADA, window MMD) 0.5 is exactly the published alarm condition
/// (W = δ, MMD² = calibrated threshold); the other detectors document their own scale.
/// </param>
/// <param name="Reason">A constant phrase naming the state of the test (no client data, no allocation).</param>
/// <param name="Statistic">The detector's statistic (W, k-NN mean distance, MMD², feature mix); NaN while warming up.</param>
/// <param name="Threshold">What <paramref name="Statistic"/> is compared with (δ, benign percentile, calibrated threshold).</param>
/// <param name="Observations">Observations of this client the state has seen.</param>
public readonly record struct DetectorSignal(double Score, string Reason, double Statistic, double Threshold, long Observations);
