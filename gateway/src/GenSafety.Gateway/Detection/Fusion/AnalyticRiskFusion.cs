using System.Globalization;
using System.Text;

namespace GenSafety.Gateway.Detection.Fusion;

/// <summary>
/// Noisy-OR of weighted detector scores: each detector is read as independent evidence that the client is
/// extracting, with probability <c>cᵢ = wᵢ·sᵢ</c>, and the risk is the probability that at least one is right:
/// <c>R = 1 − Πᵢ (1 − cᵢ)</c>. R is never below the largest contribution, grows when detectors agree, and a weight of
/// 0 switches a detector's influence off. Contributions are the cᵢ.
/// </summary>
public sealed class AnalyticRiskFusion : IRiskFusion
{
    /// <inheritdoc />
    public string Name => RiskFusionNames.Analytic;

    /// <inheritdoc />
    public FusedRisk Fuse(IReadOnlyList<DetectorSignal> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var contributions = new List<RiskContribution>(signals.Count);
        var none = 1.0;
        foreach (var signal in signals)
        {
            var contribution = Math.Clamp(signal.Weight, 0, 1) * Math.Clamp(signal.Score, 0, 1);
            if (contribution > 0)
            {
                none *= 1 - contribution;
                contributions.Add(new RiskContribution(signal.Detector, contribution, signal.Reason));
            }
        }

        contributions.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var risk = Math.Clamp(1 - none, 0, 1);
        return new FusedRisk(risk, Describe(contributions), contributions);
    }

    private static string Describe(List<RiskContribution> contributions)
    {
        var text = new StringBuilder("noisy-OR of");
        for (var i = 0; i < contributions.Count; i++)
        {
            text.Append(i == 0 ? " " : ", ").Append(contributions[i].Detector).Append(' ')
                .Append(contributions[i].Score.ToString("0.###", CultureInfo.InvariantCulture));
        }

        return contributions.Count == 0 ? "no detector signal" : text.ToString();
    }
}
