using System.Diagnostics;
using System.Globalization;
using System.Text;
using GenSafety.Detectors.Embeddings;
using GenSafety.Gateway.Detection.Learned;

namespace GenSafety.Detectors.Training.Evaluation;

/// <summary>
/// Times the exported model in ONNX Runtime (the gateway's <see cref="LearnedModel"/>) at several batch sizes:
/// random windows, a warm-up, then as many runs as fit in the measuring time; reports mean time per batch and rows per
/// second.
/// </summary>
internal static class InferenceBench
{
    /// <summary>The markdown table of the benchmark.</summary>
    public static string Run(byte[] model, IReadOnlyList<int> batches, TimeSpan perBatch, ExecutionProviderPreference provider, int threads)
    {
        using var loaded = LearnedModel.Load(model, "bench", new OnnxSessionSettings(provider, IntraOpNumThreads: threads));
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Create(c, $"Model {loaded.Version} (window {loaded.Window}, {LearnedFeatures.Count} features) on {loaded.ExecutionProvider}, intra-op threads {threads}:"));
        text.AppendLine();
        text.AppendLine("| batch | runs | mean ms per batch | µs per row | rows per second |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: |");
        var random = new Random(1);
        foreach (var batch in batches)
        {
            var input = new float[batch * loaded.Window * LearnedFeatures.Count];
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = (float)random.NextDouble();
            }

            for (var i = 0; i < 20; i++)
            {
                loaded.Score(input, batch);
            }

            var runs = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < perBatch)
            {
                loaded.Score(input, batch);
                runs++;
            }

            var ms = clock.Elapsed.TotalMilliseconds / runs;
            text.AppendLine(string.Create(c, $"| {batch} | {runs} | {ms:F3} | {ms * 1000 / batch:F2} | {batch / ms * 1000:N0} |"));
        }

        return text.ToString();
    }
}
