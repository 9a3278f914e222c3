namespace GenSafety.Detectors.Extraction;

/// <summary>
/// Settings of <see cref="SybilLinking"/>, bound from <see cref="SectionName"/>. The components are the
/// cross-account indicators the research notes list (Anthropic, February 2026: shared templates, coordination,
/// timing); the weights and threshold are ours, documented in docs/detection-algorithms.md. With the defaults no
/// single component reaches the threshold: two clients of one template app (shared template, independent timing)
/// stay apart, a campaign's sybils (shared template and schedule) link.
/// </summary>
public sealed class SybilLinkOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "GenSafety:Detection:Extraction:SybilLinking";

    /// <summary>Weight of the shared-template component. Default 0.45.</summary>
    public double TemplateWeight { get; set; } = 0.45;

    /// <summary>Weight of the B4B coverage-overlap component (contributing 0 when no coverage is given). Default 0.2.</summary>
    public double CoverageWeight { get; set; } = 0.2;

    /// <summary>Weight of the timing-synchrony component. Default 0.35.</summary>
    public double TimingWeight { get; set; } = 0.35;

    /// <summary>Link score at or above which two clients are joined into one cluster. Default 0.5.</summary>
    public double LinkThreshold { get; set; } = 0.5;

    /// <summary>
    /// Minutes with requests each client needs in the compared hour before timing counts, 2 to 64: two clients that
    /// both just started look synchronous. Default 6.
    /// </summary>
    public int MinActiveMinutes { get; set; } = 6;
}
