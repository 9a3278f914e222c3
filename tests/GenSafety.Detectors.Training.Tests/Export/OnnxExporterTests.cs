using System.Text;
using GenSafety.Detectors.Embeddings;
using GenSafety.Detectors.Training.Cli;
using GenSafety.Detectors.Training.Export;
using GenSafety.Detectors.Training.Model;
using GenSafety.Gateway.Detection.Learned;

namespace GenSafety.Detectors.Training.Tests.Export;

public sealed class OnnxExporterTests
{
    private const int Window = 8;

    private static ScorerNetwork RandomNetwork(long seed)
    {
        TorchSharp.torch.random.manual_seed(seed);
        var features = LearnedFeatures.Count;
        var mean = Enumerable.Range(0, features).Select(i => 0.1f * (i % 5)).ToArray();
        var std = Enumerable.Range(0, features).Select(i => 0.2f + (0.05f * (i % 3))).ToArray();
        return new ScorerNetwork(features, 16, mean, std, LearnedFeatures.Detectors.Count);
    }

    [Fact]
    public void Export_RandomInputs_OnnxRuntimeMatchesTorchSharpWithin1e5()
    {
        var network = RandomNetwork(3);
        var onnx = OnnxExporter.Export(network, Window, "parity", "test");

        var difference = ExportParity.MaxDifference(network, onnx, Window, 2048, 11);

        Assert.InRange(difference, 0, TrainingCommands.ParityTolerance);
    }

    [Fact]
    public void Export_RandomInputs_OutputsSpreadOverTheRange_SoParityIsNotOnSaturatedValues()
    {
        var network = RandomNetwork(3);
        var random = new Random(11);
        var input = Enumerable.Range(0, 512 * Window * LearnedFeatures.Count).Select(_ => (float)random.NextDouble()).ToArray();

        var risks = network.Predict(input, 512, Window, LearnedFeatures.Count);

        Assert.Contains(risks, r => r is > 0.05f and < 0.95f);
        Assert.True(risks.Max() - risks.Min() > 1e-3, $"risks {risks.Min()}..{risks.Max()}");
    }

    [Fact]
    public void Export_LoadsInTheGateway_WithVersionWindowAndHash()
    {
        var onnx = OnnxExporter.Export(RandomNetwork(5), Window, "7.1", "test");

        using var model = LearnedModel.Load(onnx, "exported", new OnnxSessionSettings(ExecutionProviderPreference.Cpu));

        Assert.Equal(("7.1", Window, ExecutionProviderNames.Cpu), (model.Version, model.Window, model.ExecutionProvider));
        Assert.Equal(64, model.Sha256.Length);
    }

    [Fact]
    public void Load_FeatureListDiffers_RefusedNamingTheMetadata()
    {
        var onnx = OnnxExporter.Export(RandomNetwork(5), Window, "1", "test");
        var tampered = Replace(onnx, "score:api-surface", "score:api-surfacX");

        var error = Assert.Throws<LearnedModelException>(() => LearnedModel.Load(tampered, "tampered.onnx", new OnnxSessionSettings(ExecutionProviderPreference.Cpu)));

        Assert.Contains(LearnedModel.FeaturesKey, error.Message);
    }

    [Fact]
    public void Load_NotAnOnnxModel_Refused()
    {
        var error = Assert.Throws<LearnedModelException>(() => LearnedModel.Load(Encoding.UTF8.GetBytes("not a model"), "junk.onnx", new OnnxSessionSettings(ExecutionProviderPreference.Cpu)));

        Assert.Contains("junk.onnx", error.Message);
    }

    // Same-length replacement keeps every protobuf length prefix valid.
    internal static byte[] Replace(byte[] bytes, string from, string to)
    {
        var needle = Encoding.UTF8.GetBytes(from);
        var index = bytes.AsSpan().IndexOf(needle);
        Assert.True(index >= 0, $"'{from}' not in the model");
        var copy = bytes.ToArray();
        Encoding.UTF8.GetBytes(to).CopyTo(copy, index);
        return copy;
    }
}
