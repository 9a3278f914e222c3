using System.Globalization;
using GenSafety.Detectors.Embeddings;
using GenSafety.Detectors.Training.Dataset;
using GenSafety.Detectors.Training.Evaluation;
using GenSafety.Detectors.Training.Export;
using GenSafety.Detectors.Training.Model;
using GenSafety.LoadTests.Cli;

namespace GenSafety.Detectors.Training.Cli;

/// <summary>
/// The verbs: <c>dataset</c> (replay campaigns into a dataset file), <c>train</c> (train, export to ONNX, check
/// parity), <c>evaluate</c> (leave-one-family-out table), <c>bench</c> (inference timing). See docs/learned-scorer.md.
/// </summary>
internal static class TrainingCommands
{
    /// <summary>Largest |TorchSharp − ONNX Runtime| accepted by <c>train</c>.</summary>
    public const double ParityTolerance = 1e-5;

    private const string Usage = """
        usage: GenSafety.Detectors.Training <verb> [options]
          dataset  --out FILE [--size ci|full] [--seed N] [--window 8]
          train    --dataset FILE --out MODEL.onnx [--version V] [--seed N] [--max-epochs N] [--max-seconds S]
          evaluate --train FILE --test FILE [--fpr 0.001] [--seed N] [--max-epochs N] [--max-seconds S] [--out FILE.md]
          bench    --model MODEL.onnx [--batches 1,64,1024 (of 1,8,16,32,64,128,256,512,1024,4096)] [--seconds 3] [--provider cpu|cuda|auto] [--threads 1]
        """;

    /// <summary>Runs the verb in <paramref name="args"/>; returns the exit status.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        var options = new ArgReader(args[1..], new HashSet<string>(StringComparer.Ordinal));
        Func<Task<int>>? verb = args[0] switch
        {
            "dataset" => () => DatasetAsync(options, output),
            "train" => () => Task.FromResult(Train(options, output)),
            "evaluate" => () => Task.FromResult(Evaluate(options, output)),
            "bench" => () => Task.FromResult(Bench(options, output)),
            _ => null,
        };
        if (verb is null)
        {
            await error.WriteLineAsync($"unknown verb '{args[0]}'\n{Usage}");
            return 2;
        }

        try
        {
            return await verb();
        }
        catch (ArgumentException ex) when (options.Errors.Count > 0)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (InvalidDataException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    private static async Task<int> DatasetAsync(ArgReader options, TextWriter output)
    {
        var path = options.OptionalString("out");
        var size = options.Choice("size", DatasetSizes.Ci, DatasetSizes.All);
        var seed = (ulong)options.Int("seed", 1, 0, int.MaxValue);
        var window = options.Int("window", 8, 1, Gateway.Detection.Learned.LearnedFeatureWindows.MaxWindow);
        if (!Valid(options, output, path is not null ? null : "--out is required"))
        {
            return 2;
        }

        var specs = DatasetCampaigns.For(size, seed);
        await output.WriteLineAsync($"dataset {size}, seed {seed}, window {window}: {specs.Count} campaigns");
        var rows = await DatasetBuilder.BuildAsync(specs, window, TimeSpan.FromSeconds(2), output, CancellationToken.None);
        DatasetFile.Write(path!, new LearnedDataset(seed, size, window, rows));
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{rows.Count} steps ({rows.Count(r => r.Attack)} of attacker keys) of {rows.Select(r => r.Client).Distinct().Count()} clients written to {path}"));
        return 0;
    }

    private static int Train(ArgReader options, TextWriter output)
    {
        var datasetPath = options.OptionalString("dataset");
        var path = options.OptionalString("out");
        var version = options.String("version", "1");
        var training = ReadTrainingOptions(options);
        if (!Valid(options, output, datasetPath is null || path is null ? "--dataset and --out are required" : null))
        {
            return 2;
        }

        var dataset = DatasetFile.Read(datasetPath!);
        output.WriteLine($"training on {dataset.Rows.Count} steps (dataset {dataset.Size}, seed {dataset.Seed}, window {dataset.Window})");
        var result = Trainer.Train(dataset.Rows, dataset.Window, training, output);
        var onnx = OnnxExporter.Export(result.Network, dataset.Window, version,
            $"GenSafety learned fusion scorer; dataset {dataset.Size} seed {dataset.Seed}; training seed {training.Seed}; best epoch {result.BestEpoch}.");
        var parity = ExportParity.MaxDifference(result.Network, onnx, dataset.Window, 1024, 7);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best epoch {result.BestEpoch} of {result.Epochs}, validation loss {result.ValidationLoss:F4}, {result.Elapsed.TotalSeconds:F1} s; ONNX parity max |Δ| {parity:E2}"));
        if (parity > ParityTolerance)
        {
            output.WriteLine($"parity above {ParityTolerance:E0}: model not written");
            return 1;
        }

        File.WriteAllBytes(path!, onnx);
        output.WriteLine($"model {version} written to {path} ({onnx.Length} bytes)");
        return 0;
    }

    private static int Evaluate(ArgReader options, TextWriter output)
    {
        var trainPath = options.OptionalString("train");
        var testPath = options.OptionalString("test");
        var fpr = options.Double("fpr", 0.001, 0, 0.5);
        var path = options.OptionalString("out");
        var training = ReadTrainingOptions(options);
        if (!Valid(options, output, trainPath is null || testPath is null ? "--train and --test are required" : null))
        {
            return 2;
        }

        var train = DatasetFile.Read(trainPath!);
        var test = DatasetFile.Read(testPath!);
        var rows = FamilyHoldout.Run(train, test, training, fpr, output);
        var table = FamilyHoldout.Markdown(rows, fpr);
        output.WriteLine(table);
        if (path is not null)
        {
            File.WriteAllText(path, table);
        }

        return 0;
    }

    private static int Bench(ArgReader options, TextWriter output)
    {
        var path = options.OptionalString("model");
        var batches = options.List("batches", ["1", "64", "1024"], ["1", "8", "16", "32", "64", "128", "256", "512", "1024", "4096"]).Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToList();
        var seconds = options.Double("seconds", 3, 0.1, 600);
        var provider = Enum.Parse<ExecutionProviderPreference>(options.Choice("provider", "cpu", ["cpu", "cuda", "auto"]), ignoreCase: true);
        var threads = options.Int("threads", 1, 0, 256);
        if (!Valid(options, output, path is null ? "--model is required" : null))
        {
            return 2;
        }

        output.WriteLine(InferenceBench.Run(File.ReadAllBytes(path!), batches, TimeSpan.FromSeconds(seconds), provider, threads));
        return 0;
    }

    private static TrainingOptions ReadTrainingOptions(ArgReader options) => new()
    {
        Seed = (ulong)options.Int("seed", 1, 0, int.MaxValue),
        MaxEpochs = options.Int("max-epochs", 60, 1, 10_000),
        MaxTime = TimeSpan.FromSeconds(options.Double("max-seconds", 600, 1, 86_400)),
    };

    private static bool Valid(ArgReader options, TextWriter output, string? missing)
    {
        options.RejectUnknown();
        if (missing is not null)
        {
            options.Errors.Add(missing);
        }

        foreach (var problem in options.Errors)
        {
            output.WriteLine(problem);
        }

        if (options.Errors.Count > 0)
        {
            output.WriteLine(Usage);
        }

        return options.Errors.Count == 0;
    }
}
