namespace GenSafety.Gateway.Detection.Fusion;

/// <summary>
/// Turns the detectors' scores for one client into one risk in [0, 1] and says what each detector contributed.
/// Chosen by name with <c>GenSafety:Detection:Fusion</c> (<see cref="RiskFusionNames"/>); registered in DI as
/// <c>IRiskFusion</c>. Must be deterministic and cheap: it runs once per client and micro-batch.
/// </summary>
public interface IRiskFusion
{
    /// <summary>The name configuration refers to.</summary>
    string Name { get; }

    /// <summary>Fuses <paramref name="signals"/> (one per enabled detector that scored the client).</summary>
    FusedRisk Fuse(IReadOnlyList<DetectorSignal> signals);
}

/// <summary>One detector's score for a client.</summary>
/// <param name="Detector">Detector name.</param>
/// <param name="Score">Its score in [0, 1].</param>
/// <param name="Weight">Its configured weight in [0, 1] (<c>GenSafety:Detection:Detectors:{name}:Weight</c>).</param>
/// <param name="Reason">Its reason.</param>
public sealed record DetectorSignal(string Detector, double Score, double Weight, string Reason);

/// <summary>A fused risk.</summary>
/// <param name="Score">Risk in [0, 1].</param>
/// <param name="Reason">How it was formed, in a few words (no prompt text).</param>
/// <param name="Contributions">What each detector added, largest first; detectors that added nothing are left out.</param>
public sealed record FusedRisk(double Score, string Reason, IReadOnlyList<RiskContribution> Contributions);

/// <summary>One detector's part in a fused risk.</summary>
/// <param name="Detector">Detector name.</param>
/// <param name="Score">Its contribution in [0, 1] (for <c>analytic</c>: weight × score).</param>
/// <param name="Reason">The detector's reason.</param>
public sealed record RiskContribution(string Detector, double Score, string Reason);

/// <summary>Names of the fusions.</summary>
public static class RiskFusionNames
{
    /// <summary><see cref="AnalyticRiskFusion"/>: noisy-OR of weighted scores.</summary>
    public const string Analytic = "analytic";

    /// <summary>A learned scorer over the detector scores (not part of this build; reserved for it).</summary>
    public const string Learned = "learned";
}
