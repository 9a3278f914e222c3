namespace GenSafety.Gateway.Detection.Fusion;

/// <summary>
/// Turns the detectors' scores for one client into one risk in [0, 1] and says what each detector contributed.
/// Chosen by name with <c>GenSafety:Detection:Fusion</c> (<see cref="RiskFusionNames"/>); registered in DI as
/// <c>IRiskFusion</c> together with its <see cref="RiskFusionRegistration"/>. Must be deterministic and cheap: it runs once per client and micro-batch.
/// </summary>
public interface IRiskFusion
{
    /// <summary>The name configuration refers to.</summary>
    string Name { get; }

    /// <summary>Fuses <paramref name="signals"/> (one per enabled detector that scored the client).</summary>
    FusedRisk Fuse(IReadOnlyList<DetectorSignal> signals);

    /// <summary>
    /// Fuses every client of a micro-batch at once (a model scores them in one batch); one result per input, in order.
    /// The default fuses each input's signals alone.
    /// </summary>
    IReadOnlyList<FusedRisk> FuseBatch(IReadOnlyList<FusionInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var fused = new FusedRisk[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            fused[i] = Fuse(inputs[i].Signals);
        }

        return fused;
    }
}

/// <summary>One client's part of a micro-batch as a fusion sees it.</summary>
/// <param name="Tenant">Tenant.</param>
/// <param name="ClientId">Client.</param>
/// <param name="Events">The client's events in this micro-batch, oldest first.</param>
/// <param name="Signals">One per enabled detector that scored the client.</param>
/// <param name="EmbeddingCoverage">The client's returned-embedding coverage, when a detector measured it.</param>
public sealed record FusionInput(
    string Tenant, string ClientId, IReadOnlyList<QueryEvent> Events, IReadOnlyList<DetectorSignal> Signals, double? EmbeddingCoverage);

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
public sealed record FusedRisk(double Score, string Reason, IReadOnlyList<RiskContribution> Contributions)
{
    /// <summary>
    /// Whether the fused risk is evidence of its own, written even when one detector contributes (a model's score);
    /// otherwise it is written only when several detectors contribute (with one it equals that contribution).
    /// </summary>
    public bool StandsAlone { get; init; }
}

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

    /// <summary>The learned scorer: an ONNX model over a window of per-client feature steps (detector scores and request statistics).</summary>
    public const string Learned = "learned";
}
