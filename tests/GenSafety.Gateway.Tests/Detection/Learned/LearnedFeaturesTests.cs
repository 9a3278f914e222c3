using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.Fusion;
using GenSafety.Gateway.Detection.Learned;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Tests.Detection.Learned;

public sealed class LearnedFeaturesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly int F = LearnedFeatures.Count;

    private static QueryEvent Event(string client, double seconds, string prompt, QueryParameters? parameters = null, string route = RouteKinds.ChatCompletions)
        => new("t", client, T0.AddSeconds(seconds), route, prompt, QueryEventReader.Hash(prompt), "m", parameters ?? QueryParameters.None, null, [], []);

    private static int Index(string name) => LearnedFeatures.Names.ToList().IndexOf(name);

    [Fact]
    public void Step_ScoresParametersAndGap()
    {
        var probe = QueryParameters.None with { LogitBias = [new LogitBiasEntry(5, 100), new LogitBiasEntry(6, 1)], MaxTokens = 1, Temperature = 0, TopLogprobs = 5, Logprobs = true };
        var request = Event("c", 10, "abc", probe);
        var input = new FusionInput("t", "c", [request], [new DetectorSignal("api-surface", 0.8, 1, "r"), new DetectorSignal("custom", 0.9, 1, "r")], 0.25);
        var features = new float[F];

        LearnedFeatures.Step(input, request, T0, repeated: true, features);

        Assert.Equal(0.8f, features[Index("score:api-surface")]);
        Assert.Equal(0f, features[Index("score:prada")]);
        Assert.Equal(0.25f, features[Index("embedding-coverage")]);
        Assert.Equal((1f, 1f, 1f, 0.25f, 1f, 1f, 0f), (features[Index("logit-bias")], features[Index("extreme-bias")], features[Index("logprobs")],
            features[Index("top-logprobs")], features[Index("repeated-prompt")], features[Index("cold-sampling")], features[Index("embeddings")]));
        Assert.Equal((float)(Math.Log(3) / Math.Log(301)), features[Index("log-bias-entries")], 6);
        Assert.Equal((float)(Math.Log(11) / Math.Log(3601)), features[Index("log-gap-seconds")], 6);
        Assert.All(features, f => Assert.InRange(f, 0f, 1f));
    }

    [Fact]
    public void Step_NoPreviousRequest_GapIsTheMaximum()
    {
        var request = Event("c", 0, "x", route: RouteKinds.Embeddings);
        var features = new float[F];

        LearnedFeatures.Step(new FusionInput("t", "c", [request], [], null), request, null, repeated: false, features);

        Assert.Equal((1f, 1f, 0f), (features[Index("log-gap-seconds")], features[Index("embeddings")], features[Index("repeated-prompt")]));
    }

    [Fact]
    public void Windows_OneStepPerRequest_SameWhateverTheBatching()
    {
        var events = Enumerable.Range(0, 6).Select(i => Event("a", i * 3, i % 2 == 0 ? "same" : "other " + i)).ToList();
        var oneBatch = new float[4 * F];
        var manyBatches = new float[4 * F];

        new LearnedFeatureWindows(10).Append(new FusionInput("t", "a", events, [], null), 4, oneBatch);
        var windows = new LearnedFeatureWindows(10);
        foreach (var batch in events.Chunk(2))
        {
            windows.Append(new FusionInput("t", "a", batch, [], null), 4, manyBatches);
        }

        Assert.Equal(oneBatch, manyBatches);
        // The last four requests, oldest first: "same", "other 3", "same", "other 5"; "same" was sent first at request 1.
        Assert.Equal([1f, 0f, 1f, 0f], Enumerable.Range(0, 4).Select(s => oneBatch[(s * F) + Index("repeated-prompt")]).ToArray());
        Assert.Equal((float)(Math.Log(4) / Math.Log(3601)), oneBatch[(3 * F) + Index("log-gap-seconds")], 6);
    }

    [Fact]
    public void Windows_PadInFront_ForgetLeastRecentlySeenClients()
    {
        var windows = new LearnedFeatureWindows(2);
        var window = new float[3 * F];
        FusionInput Step(string client) => new("t", client, [Event(client, 0, "p")], [], null);

        windows.Append(Step("a"), 3, window);
        Assert.All(window[..(2 * F)], v => Assert.Equal(0f, v));
        Assert.Equal(1f, window[(2 * F) + Index("log-gap-seconds")]);
        windows.Append(Step("b"), 3, window);
        windows.Append(Step("c"), 3, window);
        Assert.Equal(2, windows.Count);
        windows.Append(Step("a"), 3, window);

        Assert.All(window[..(2 * F)], v => Assert.Equal(0f, v));
    }
}
