namespace GenSafety.Detectors.Extraction;

/// <summary>The window features <see cref="HarvestingDetector"/> scores, each in [0, 1] except the counts and the rate.</summary>
/// <param name="Requests">Requests in the window.</param>
/// <param name="TemplateShare">Share of requests whose long opening matches another request's (a shared template).</param>
/// <param name="ReasoningShare">Share of requests with a reasoning-elicitation phrase.</param>
/// <param name="LongOutput">Mean ramp of max_tokens between the long-output bounds.</param>
/// <param name="HotSampling">Mean ramp of temperature between the hot-sampling bounds.</param>
/// <param name="Diversity">Distinct prompts / requests.</param>
/// <param name="RequestsPerMinute">(requests − 1) per minute over the window's time span (at least a minute).</param>
/// <param name="Volume">Ramp of <paramref name="RequestsPerMinute"/> between the volume bounds.</param>
public readonly record struct HarvestingFeatures(
    int Requests, double TemplateShare, double ReasoningShare, double LongOutput, double HotSampling, double Diversity, double RequestsPerMinute, double Volume)
{
    /// <summary>Template harvesting: shared template × long outputs × hot sampling.</summary>
    public double Harvest => TemplateShare * LongOutput * HotSampling;
}
