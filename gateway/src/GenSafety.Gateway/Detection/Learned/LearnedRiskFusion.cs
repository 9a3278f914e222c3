using System.Diagnostics;
using System.Globalization;
using System.Text;
using GenSafety.Gateway.Detection.Fusion;

namespace GenSafety.Gateway.Detection.Learned;

/// <summary>
/// The <c>learned</c> fusion: appends each client's steps (<see cref="LearnedFeatures"/>, one per request) to its window
/// (<see cref="LearnedFeatureWindows"/>) and scores every client of the micro-batch in one run of the model in use
/// (<see cref="LearnedModelHost"/>). The model's score is the fused risk and stands alone; each detector's
/// contribution is its weighted score capped at that risk, so the admin API still shows which detectors fired while
/// the model decides how high the client goes.
/// </summary>
public sealed class LearnedRiskFusion(LearnedModelHost host, LearnedFeatureWindows windows, LearnedScorerMetrics metrics) : IRiskFusion
{
    /// <inheritdoc />
    public string Name => RiskFusionNames.Learned;

    /// <summary>Scores one set of signals as a one-step window of scores alone, of a client without history (no window is kept).</summary>
    public FusedRisk Fuse(IReadOnlyList<DetectorSignal> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var input = new FusionInput(string.Empty, string.Empty, [], signals, null);
        return host.Use(model =>
        {
            var window = new float[model.Window * LearnedFeatures.Count];
            LearnedFeatures.Step(input, null, null, repeated: false, window.AsSpan((model.Window - 1) * LearnedFeatures.Count));
            return Describe(input, model.Score(window, 1)[0], model.Version);
        });
    }

    /// <inheritdoc />
    public IReadOnlyList<FusedRisk> FuseBatch(IReadOnlyList<FusionInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
        {
            return [];
        }

        return host.Use(model =>
        {
            var stride = model.Window * LearnedFeatures.Count;
            var batch = new float[inputs.Count * stride];
            for (var i = 0; i < inputs.Count; i++)
            {
                windows.Append(inputs[i], model.Window, batch.AsSpan(i * stride, stride));
            }

            var start = Stopwatch.GetTimestamp();
            var scores = model.Score(batch, inputs.Count);
            metrics.Inference(Stopwatch.GetElapsedTime(start));
            var fused = new FusedRisk[inputs.Count];
            for (var i = 0; i < inputs.Count; i++)
            {
                fused[i] = Describe(inputs[i], scores[i], model.Version);
            }

            return fused;
        });
    }

    private static FusedRisk Describe(FusionInput input, float score, string version)
    {
        var risk = Math.Clamp((double)score, 0, 1);
        var contributions = new List<RiskContribution>(input.Signals.Count);
        foreach (var signal in input.Signals)
        {
            var weighted = Math.Clamp(signal.Weight, 0, 1) * Math.Clamp(signal.Score, 0, 1);
            if (weighted > 0)
            {
                contributions.Add(new RiskContribution(signal.Detector, Math.Min(weighted, risk), signal.Reason));
            }
        }

        contributions.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var text = new StringBuilder("learned model ").Append(version).Append(": ")
            .Append(risk.ToString("0.###", CultureInfo.InvariantCulture));
        var detectors = input.Signals.Where(s => s.Score > 0).OrderByDescending(s => s.Score).ToList();
        for (var i = 0; i < detectors.Count; i++)
        {
            text.Append(i == 0 ? " from " : ", ").Append(detectors[i].Detector).Append(' ')
                .Append(detectors[i].Score.ToString("0.###", CultureInfo.InvariantCulture));
        }

        return new FusedRisk(risk, text.ToString(), contributions) { StandsAlone = true };
    }
}
