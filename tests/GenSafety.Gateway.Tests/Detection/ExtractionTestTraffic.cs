using GenSafety.Detectors.Embeddings;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>Seeded benign and attack-like query streams for the extraction detectors, and a driver that embeds them.</summary>
internal static class ExtractionTestTraffic
{
    public static readonly HashingEmbedder Embedder = new(new HashingEmbedderOptions());

    private static readonly string[] Verbs = ["fix", "clean", "paint", "insure", "sell", "repair", "replace", "store", "ship", "measure", "heat", "cool"];
    private static readonly string[] Nouns = ["bicycle", "roof", "garden hose", "kitchen sink", "laptop battery", "sourdough starter", "fish tank", "wooden floor", "car tyre", "violin", "tent", "printer"];
    private static readonly string[] Ways = ["without special tools", "on a small budget", "before winter", "in a rented flat", "for the first time", "as quickly as possible", "with kids around", "safely"];
    private static readonly string[] Openers = ["How do I", "What is the best way to", "Any tips to", "Can you explain how to", "Is it hard to", "Should I"];

    /// <summary>The Alpaca-style self-instruct template (a shortened version of its 1.7 kB prompt).</summary>
    public const string AlpacaTemplate =
        "You are asked to come up with a set of 20 diverse task instructions. These task instructions will be given to a GPT model and we will evaluate the GPT model for completing the instructions. "
        + "Here are the requirements: 1. Try not to repeat the verb for each instruction to maximize diversity. 2. The language used for the instruction also should be diverse. "
        + "3. The type of instructions should be diverse. The list should include diverse types of tasks like open-ended generation, classification, editing, etc. List of 20 tasks:\n";

    /// <summary>A person's question: varied wording over everyday topics.</summary>
    public static string Question(Random random)
        => $"{Pick(random, Openers)} {Pick(random, Verbs)} a {Pick(random, Nouns)} {Pick(random, Ways)}?";

    /// <summary>An Alpaca-style generation prompt: the template with three seed tasks.</summary>
    public static string Alpaca(Random random)
        => AlpacaTemplate + string.Join('\n', Enumerable.Range(1, 3).Select(i => $"{i}. {Question(random)}"));

    public static QueryEvent Chat(string client, DateTimeOffset at, string query, string? system = null, int? maxTokens = null, double? temperature = null, bool followUp = false)
    {
        var prompt = system is null ? query : system + "\n" + query;
        return new QueryEvent("t1", client, at, RouteKinds.ChatCompletions, prompt, QueryEventReader.Hash(prompt), "m",
            new QueryParameters(false, null, [], maxTokens, temperature, null, null, false, false), null, ["stop"], [])
        {
            QueryText = query,
            FollowUp = followUp,
        };
    }

    /// <summary>Runs <paramref name="detector"/> over <paramref name="events"/> in batches (query texts embedded as the pipeline does), carrying the state.</summary>
    public static async Task<(DetectorResult Result, byte[]? State)> RunAsync(IQueryDetector detector, IReadOnlyList<QueryEvent> events, int batchSize = 16, byte[]? state = null)
    {
        DetectorResult? result = null;
        for (var i = 0; i < events.Count; i += batchSize)
        {
            var batch = events.Skip(i).Take(batchSize).ToList();
            var vectors = await Embedder.EmbedAsync([.. batch.Select(e => e.QueryText)]);
            result = detector.Detect(new DetectorInput(batch[0].Tenant, batch[0].ClientId, batch[^1].At, batch, new float[]?[batch.Count], "hashing", state ?? [])
            {
                QueryVectors = [.. batch.Select((e, j) => detector.NeedsQueryVector(e) ? vectors[j] : null)],
            });
            state = result.State ?? state;
        }

        return (result!, state);
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
