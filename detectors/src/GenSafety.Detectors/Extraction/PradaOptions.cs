namespace GenSafety.Detectors.Extraction;

/// <summary>
/// Settings of <see cref="PradaDetector"/>, bound from <see cref="SectionName"/>. Defaults follow PRADA's reference
/// code (<c>src/growing_set.py</c>, <c>main.py</c>) where it fixes a value; the capacities are ours (bounded state).
/// </summary>
public sealed class PradaOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "GenSafety:Detection:Extraction:Prada";

    /// <summary>
    /// Vectors kept of the growing set G, 8 to 1024; the oldest member leaves when a new one joins (first in, first
    /// out). The paper keeps every member. Default 64 (8.4 KB at 128 stored dimensions).
    /// </summary>
    public int GrowingSetCapacity { get; set; } = 64;

    /// <summary>
    /// Minimum distances kept in D (the most recent), <see cref="MinDistances"/> + 10 to 4096. The paper keeps every
    /// distance. Default 512 (2 KB).
    /// </summary>
    public int DistanceCapacity { get; set; } = 512;

    /// <summary>Distances that must remain after outlier removal before W is computed (the paper: more than 100). Default 100.</summary>
    public int MinDistances { get; set; } = 100;

    /// <summary>Queries between two Shapiro–Wilk tests (the paper: 10), 1 to 1000. Default 10.</summary>
    public int TestInterval { get; set; } = 10;

    /// <summary>Distances farther than this many standard deviations from the mean are dropped before the test (the paper: 3). Default 3.</summary>
    public double OutlierSigmas { get; set; } = 3.0;

    /// <summary>δ in the reference code's <c>main.py</c>.</summary>
    public const double PaperDelta = 0.90;

    /// <summary>
    /// The alarm threshold δ: an attack when W &lt; δ. Default 0.85, tuned on benign traces as the research notes
    /// advise: at the paper's <see cref="PaperDelta"/> 4.5% of this library's synthetic chat clients alarmed once (at
    /// their first test), at 0.85 0.5%, while JbDA-style attacks (W ≈ 0.46–0.83) still alarm at the first test.
    /// </summary>
    public double Delta { get; set; } = 0.85;

    /// <summary>
    /// Half-width of the score ramp around <see cref="Delta"/>: score = clamp((δ + band − W) / (2·band)), so 0 for
    /// W ≥ δ + band, 0.5 at W = δ, 1 for W ≤ δ − band. Default 0.05.
    /// </summary>
    public double ScoreBand { get; set; } = 0.05;
}
