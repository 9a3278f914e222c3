using GenSafety.Detectors.Embeddings;
using GenSafety.Detectors.Training.Model;
using GenSafety.Gateway.Detection.Learned;

namespace GenSafety.Detectors.Training.Export;

/// <summary>
/// Checks an exported model against the network it came from: the same random windows through TorchSharp and
/// through ONNX Runtime (loaded as the gateway loads it), the largest absolute difference of the risks.
/// </summary>
internal static class ExportParity
{
    /// <summary>The largest |TorchSharp − ONNX Runtime| over <paramref name="rows"/> random windows.</summary>
    public static double MaxDifference(ScorerNetwork network, byte[] onnx, int window, int rows, int seed)
    {
        var random = new Random(seed);
        var input = new float[rows * window * LearnedFeatures.Count];
        for (var i = 0; i < input.Length; i++)
        {
            // Uniform over [0, 1], the range every feature is scaled to.
            input[i] = (float)random.NextDouble();
        }

        var torch = network.Predict(input, rows, window, LearnedFeatures.Count);
        using var model = LearnedModel.Load(onnx, "parity", new OnnxSessionSettings(ExecutionProviderPreference.Cpu));
        var onnxRuntime = model.Score(input, rows);
        var max = 0.0;
        for (var i = 0; i < rows; i++)
        {
            max = Math.Max(max, Math.Abs(torch[i] - onnxRuntime[i]));
        }

        return max;
    }
}
