using System.Diagnostics.Metrics;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.ApiSurface;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>Crafted query events and a detector driver shared by the detection tests.</summary>
internal static class DetectionTestData
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static QueryEvent Chat(
        string prompt, IReadOnlyList<LogitBiasEntry>? bias = null, bool logprobs = false, int? topLogprobs = null, int? maxTokens = 16,
        DateTimeOffset? at = null, string client = "c1")
        => new("t1", client, at ?? Start, RouteKinds.ChatCompletions, prompt, QueryEventReader.Hash(prompt), "m",
            new QueryParameters(logprobs, topLogprobs, bias ?? [], maxTokens, 0, null, null, false, false), null, ["stop"], []);

    public static QueryEvent Embeddings(string input, float[][] returned, DateTimeOffset? at = null, string client = "c1")
        => new("t1", client, at ?? Start, RouteKinds.Embeddings, input, QueryEventReader.Hash(input), "e", QueryParameters.None, null, [], returned);

    public static LogitBiasEntry[] Bias(params (int Token, double Value)[] entries) => [.. entries.Select(e => new LogitBiasEntry(e.Token, e.Value))];

    /// <summary>Detection metrics on a meter factory of their own.</summary>
    public static DetectionMetrics Metrics() => new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    public static ApiSurfaceDetector ApiSurface(ApiSurfaceOptions? options = null) => new(Options.Create(options ?? new ApiSurfaceOptions()));

    /// <summary>Runs <paramref name="detector"/> over <paramref name="events"/> in batches of <paramref name="batchSize"/>, carrying the state; returns the last result.</summary>
    public static DetectorResult Run(IQueryDetector detector, IReadOnlyList<QueryEvent> events, int batchSize = 32, byte[]? state = null, DateTimeOffset? now = null)
    {
        DetectorResult? result = null;
        for (var i = 0; i < events.Count; i += batchSize)
        {
            var batch = events.Skip(i).Take(batchSize).ToList();
            result = detector.Detect(new DetectorInput("t1", "c1", now ?? batch[^1].At, batch, new float[]?[batch.Count], "hashing", state ?? []));
            state = result.State ?? state;
        }

        return result!;
    }
}
