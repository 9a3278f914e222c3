using System.Globalization;
using System.Text.Json;
using GenSafety.Detectors.DatasetInference;
using GenSafety.ReferenceModel;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.DatasetInference;

/// <summary>
/// The command line of dataset inference (the gateway's executable, first argument <c>dataset-inference</c>):
/// <list type="bullet">
/// <item><c>dataset-inference run --suspect S.jsonl --heldout H.jsonl --upstream URL --model M [--moments] [--top-logprobs 5] [--alpha 0.01] [--seed 1] [--api-key-env VAR] [--synonyms] [--out report.json]</c>:
/// the same test as <c>POST /v1/dataset-inference</c>, straight against an upstream; JSONL lines are strings or objects with <c>text</c>.</item>
/// <item><c>dataset-inference validate [--splits 200] [--split-documents 50] [--sizes 10,20,50,100] [--seed 1] [--model-order N] [--out-dir DIR]</c>:
/// starts the reference model on loopback and runs <see cref="DatasetInferenceValidation"/>; prints markdown.</item>
/// </list>
/// Exit status: 0 done, 2 bad arguments or files, 3 the upstream failed.
/// </summary>
public static class DatasetInferenceCommand
{
    /// <summary>The verb.</summary>
    public const string Verb = "dataset-inference";

    /// <summary>Whether the arguments ask for this command.</summary>
    public static bool IsRequested(string[] args) => args is { Length: > 0 } && args[0] == Verb;

    /// <summary>Runs the command; returns the exit status.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        try
        {
            var options = Parse(args.Skip(2));
            return args.ElementAtOrDefault(1) switch
            {
                "run" => await RunTestAsync(options, output, cancellationToken),
                "validate" => await ValidateAsync(options, output, cancellationToken),
                _ => throw new ArgumentException("Use 'dataset-inference run ...' or 'dataset-inference validate ...'."),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or JsonException or FormatException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"dataset-inference: {ex.Message}");
            return 2;
        }
        catch (UpstreamScoringException ex)
        {
            await Console.Error.WriteLineAsync($"dataset-inference: {ex.Message}");
            return 3;
        }
    }

    private static async Task<int> RunTestAsync(Dictionary<string, string> options, TextWriter output, CancellationToken cancellationToken)
    {
        var suspect = ReadDocuments(Required(options, "suspect"));
        var heldout = ReadDocuments(Required(options, "heldout"));
        var model = Required(options, "model");
        var upstream = new Uri(Required(options, "upstream"), UriKind.Absolute);
        var apiKey = options.TryGetValue("api-key-env", out var variable) ? Environment.GetEnvironmentVariable(variable) : null;
        var (suspectChunks, heldoutChunks) = DatasetInferencePipeline.Chunk(suspect, heldout);
        var seed = ulong.Parse(options.GetValueOrDefault("seed", "1"), CultureInfo.InvariantCulture);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var extractor = Extractor(http, upstream, model, apiKey, options, seed);
        var analysis = new DatasetInferenceOptions { Seed = seed, Alpha = double.Parse(options.GetValueOrDefault("alpha", "0.01"), CultureInfo.InvariantCulture) };
        var report = await DatasetInferencePipeline.RunAsync(suspectChunks, heldoutChunks, extractor, analysis, cancellationToken);
        var json = DatasetInferenceReportJson.Serialize(report, new ReportContext(model, suspect.Count, heldout.Count, suspectChunks.Count, heldoutChunks.Count));
        if (options.TryGetValue("out", out var file))
        {
            await File.WriteAllTextAsync(file, json, cancellationToken);
        }

        await output.WriteLineAsync(json);
        return 0;
    }

    private static async Task<int> ValidateAsync(Dictionary<string, string> options, TextWriter output, CancellationToken cancellationToken)
    {
        var settings = new ValidationSettings
        {
            Seed = ulong.Parse(options.GetValueOrDefault("seed", "1"), CultureInfo.InvariantCulture),
            Splits = int.Parse(options.GetValueOrDefault("splits", "200"), CultureInfo.InvariantCulture),
            SplitDocuments = int.Parse(options.GetValueOrDefault("split-documents", "50"), CultureInfo.InvariantCulture),
            SampleSizes = [.. options.GetValueOrDefault("sizes", "10,20,50,100").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))],
        };
        // --model-order N trains the reference model with a shorter context: members are then memorised only in part.
        string[] modelArgs = ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            .. options.TryGetValue("model-order", out var order) ? [$"--ReferenceModel:Order={int.Parse(order, CultureInfo.InvariantCulture)}"] : Array.Empty<string>()];
        await using var model = ReferenceModelApp.Build(modelArgs);
        await model.StartAsync(cancellationToken);
        var data = Path.Combine(AppContext.BaseDirectory, "ReferenceModelData");
        var members = File.ReadLines(Path.Combine(data, "members.jsonl")).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("text").GetString()!, e.GetProperty("duplicates").GetInt32())).ToList();
        var nonMembers = ReadDocuments(Path.Combine(data, "nonmembers.jsonl"));
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        options.TryAdd("moments", "true");
        var extractor = Extractor(http, new Uri(model.Urls.First() + "/"), "reference-ngram", null, options, settings.Seed);
        var started = DateTime.UtcNow;
        var result = await DatasetInferenceValidation.RunAsync(members, nonMembers, extractor, settings, cancellationToken);
        var markdown = result.ToMarkdown();
        await output.WriteLineAsync($"Dataset inference on the reference model (order {order ?? "default"}): {members.Count} members, {nonMembers.Count} non-members, seed {settings.Seed}, " +
            $"{(DateTime.UtcNow - started).TotalSeconds:F0} s\n");
        await output.WriteLineAsync(markdown);
        if (options.TryGetValue("out-dir", out var directory))
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, "dataset-inference-validation.md"), markdown, cancellationToken);
        }

        await model.StopAsync(CancellationToken.None);
        return 0;
    }

    private static DocumentFeatureExtractor Extractor(HttpClient http, Uri upstream, string model, string? apiKey, Dictionary<string, string> options, ulong seed)
    {
        var settings = new DatasetInferenceServiceOptions { RequestsPerSecond = 1000, MaxConcurrentRequests = 1, BatchSize = 32 };
        var budget = new UpstreamRequestBudget(Options.Create(settings));
        var topLogprobs = int.Parse(options.GetValueOrDefault("top-logprobs", "5"), CultureInfo.InvariantCulture);
        var moments = options.TryGetValue("moments", out var flag) && flag != "false";
        var scorer = new UpstreamPromptScorer(http, upstream, model, apiKey, topLogprobs, moments, settings.BatchSize, budget);
        var perturbations = options.TryGetValue("synonyms", out var synonyms) && synonyms != "false"
            ? [.. settings.Perturbations, TextPerturbationKind.Synonym]
            : settings.Perturbations;
        return new DocumentFeatureExtractor(scorer, perturbations, seed, synonyms: DatasetInferenceUpstream.SynonymsFor(perturbations));
    }

    private static List<string> ReadDocuments(string path)
        => [.. File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetProperty("text").GetString()
                ?? throw new FormatException($"{path}: every line must be a JSON string or an object with a 'text' string."))];

    private static string Required(Dictionary<string, string> options, string name)
        => options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");

    // --name value pairs; a flag without a value (next word starts with --) is "true".
    private static Dictionary<string, string> Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{list[i]}'.");
            }

            var hasValue = i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal);
            result[list[i][2..]] = hasValue ? list[++i] : "true";
        }

        return result;
    }
}
