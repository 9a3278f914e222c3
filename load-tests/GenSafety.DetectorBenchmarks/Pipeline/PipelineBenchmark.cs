using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GenSafety.Detectors.Embeddings;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GenSafety.DetectorBenchmarks.Pipeline;

/// <summary>
/// The gateway's detection pipeline as the closed-loop load test drives it: one client sending chat requests (the
/// load generator's prompt, or distinct prompts) at a fixed rate, handed to the real batch processor in micro-batches
/// with in-memory state and every detector at weight 0 (they run and store state; no risk is written). Reports process
/// CPU per event and, per detector and for the embedder, the time spent inside them.
/// </summary>
internal static class PipelineBenchmark
{
    private const string LoadTestPrompt = "Write one short sentence about the sea.";

    public static async Task RunAsync(BenchmarkArguments options)
    {
        var settings = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        foreach (var name in new[] { "api-surface", "b4b-coverage", "prada", "near-duplicate", "harvesting", "window-mmd" })
        {
            settings[$"GenSafety:Detection:Detectors:{name}:Weight"] = "0";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var clock = new SteppedTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddClientStateStore(configuration).AddEnforcementLevels(configuration).AddDetection(configuration);
        var detectors = new List<TimedQueryDetector>();
        TimedTextEmbedder? embedder = null;
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(IQueryDetector) && descriptor.ImplementationType is { } type)
            {
                services[i] = ServiceDescriptor.Singleton<IQueryDetector>(sp =>
                {
                    var timed = TimedQueryDetector.Wrap((IQueryDetector)ActivatorUtilities.CreateInstance(sp, type));
                    detectors.Add(timed);
                    return timed;
                });
            }
            else if (descriptor is { ServiceType: var serviceType, IsKeyedService: true, ServiceKey: EmbedderNames.Hashing } && serviceType == typeof(ITextEmbedder))
            {
                services[i] = ServiceDescriptor.KeyedSingleton<ITextEmbedder>(EmbedderNames.Hashing,
                    (sp, _) => embedder = new TimedTextEmbedder(sp.GetRequiredService<HashingEmbedder>()));
            }
        }

        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>().OfType<GenSafety.Gateway.Detection.WindowMmd.WindowMmdReferenceLoader>())
        {
            await hosted.StartAsync(default);
        }

        var processor = provider.GetRequiredService<DetectionBatchProcessor>();
        var bodies = (options.DistinctPrompts ? BenchmarkPrompts.Create(4096, options.Words, seed: 1) : [LoadTestPrompt]).Select(Body).ToArray();
        var step = TimeSpan.FromSeconds(1.0 / options.Rate);
        var sent = 0;

        async Task SendAsync(int count)
        {
            var batch = new List<QueryObservation>(options.PipelineBatch);
            for (var done = 0; done < count; done += batch.Count)
            {
                batch.Clear();
                for (var b = 0; b < options.PipelineBatch && done + b < count; b++)
                {
                    batch.Add(Chat(bodies[sent++ % bodies.Length], clock.Now));
                    clock.Now += step;
                }

                await processor.ProcessAsync(batch, default);
            }
        }

        Console.WriteLine($"Detection pipeline: one client, {(options.DistinctPrompts ? "distinct prompts" : "the load test's prompt")}, " +
            $"{options.Rate:N0} requests/s, micro-batches of {options.PipelineBatch}, in-memory state, weights 0; " +
            $"{options.Events:N0} events measured per round after {options.Events:N0} of warm-up, {Environment.ProcessorCount} logical cores, .NET {Environment.Version}");
        await SendAsync(options.Events);
        var rows = new List<(string Name, List<double> PerEvent)> { ("whole pipeline (process CPU)", []), ("embedder (inside)", []) };
        rows.AddRange(detectors.Select(d => (d.Name + " (inside)", new List<double>())));
        for (var round = 0; round < options.Rounds; round++)
        {
            var detectorsBefore = detectors.Select(d => d.Elapsed).ToArray();
            var embedderBefore = embedder?.Elapsed ?? TimeSpan.Zero;
            using var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            await SendAsync(options.Events);
            process.Refresh();
            rows[0].PerEvent.Add((process.TotalProcessorTime - cpuBefore).TotalMicroseconds / options.Events);
            rows[1].PerEvent.Add(((embedder?.Elapsed ?? TimeSpan.Zero) - embedderBefore).TotalMicroseconds / options.Events);
            for (var d = 0; d < detectors.Count; d++)
            {
                rows[d + 2].PerEvent.Add((detectors[d].Elapsed - detectorsBefore[d]).TotalMicroseconds / options.Events);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"| µs per event | median | rounds ({options.Rounds}) |");
        Console.WriteLine("|---|---:|---|");
        foreach (var (name, perEvent) in rows)
        {
            var median = perEvent.Order().ElementAt(perEvent.Count / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {median:F1} | {string.Join(" / ", perEvent.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))} |"));
        }
    }

    // The load generator's request body: one user message, max_tokens 16, temperature 0.
    // Encoded once per prompt, as the load generator does; the request path hands the pipeline the body's bytes.
    private static QueryObservation Chat(byte[] body, DateTimeOffset at)
        => new("default", "load-1", RouteKinds.ChatCompletions, body, at) { SourceNetwork = "127.0.0.0/24" };

    private static byte[] Body(string prompt) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["model"] = "reference-ngram",
        ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = prompt } },
        ["max_tokens"] = 16,
        ["temperature"] = 0,
    });
}
