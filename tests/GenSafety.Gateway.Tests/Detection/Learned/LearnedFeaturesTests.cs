using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.Fusion;
using GenSafety.Gateway.Detection.Learned;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Tests.Detection.Learned;

public sealed class LearnedFeaturesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static QueryEvent Event(string client, double seconds, string prompt, QueryParameters? parameters = null, string route = RouteKinds.ChatCompletions)
        => new("t", client, T0.AddSeconds(seconds), route, prompt, QueryEventReader.Hash(prompt), "m", parameters ?? QueryParameters.None, null, [], []);

    private static float Feature(float[] features, string name) => features[LearnedFeatures.Names.ToList().IndexOf(name)];

    [Fact]
    public void Step_ScoresAndRequestStatistics()
    {
        var probe = QueryParameters.None with { LogitBias = [new LogitBiasEntry(5, 100)], MaxTokens = 1, Temperature = 0 };
        var input = new FusionInput("t", "c",
            [Event("c", 10, "a", probe), Event("c", 11, "a", probe), Event("c", 12, "b"), Event("c", 14, "c", route: RouteKinds.Embeddings)],
            [new DetectorSignal("api-surface", 0.8, 1, "r"), new DetectorSignal("custom", 0.9, 1, "r")], 0.25);
        var features = new float[LearnedFeatures.Count];

        LearnedFeatures.Step(input, T0, features);

        Assert.Equal(0.8f, Feature(features, "score:api-surface"));
        Assert.Equal(0f, Feature(features, "score:prada"));
        Assert.Equal(0.25f, Feature(features, "embedding-coverage"));
        Assert.Equal(0.5f, Feature(features, "share-logit-bias"));
        Assert.Equal(0.5f, Feature(features, "share-extreme-bias"));
        Assert.Equal(0.25f, Feature(features, "share-embeddings"));
        Assert.Equal(0.75f, Feature(features, "share-distinct-prompts"));
        Assert.Equal(0.5f, Feature(features, "share-cold-sampling"));
        Assert.Equal((float)(Math.Log(11) / Math.Log(3601)), Feature(features, "log-gap-seconds"), 6);
        Assert.All(features, f => Assert.InRange(f, 0f, 1f));
    }

    [Fact]
    public void Step_FirstStep_GapIsTheMaximum()
    {
        var features = new float[LearnedFeatures.Count];

        LearnedFeatures.Step(new FusionInput("t", "c", [Event("c", 0, "x")], [], null), null, features);

        Assert.Equal(1f, Feature(features, "log-gap-seconds"));
    }

    [Fact]
    public void Windows_KeepOrderPadInFrontAndForgetOldest()
    {
        var windows = new LearnedFeatureWindows(2);
        var f = LearnedFeatures.Count;
        var window = new float[3 * f];
        var countIndex = LearnedFeatures.Names.ToList().IndexOf("log-requests");
        FusionInput Step(string client, int events) => new("t", client, [.. Enumerable.Range(0, events).Select(i => Event(client, i, "p" + i))], [], null);

        windows.Append(Step("a", 1), 3, window);
        Assert.All(window[..(2 * f)], v => Assert.Equal(0f, v));
        windows.Append(Step("a", 3), 3, window);
        windows.Append(Step("a", 7), 3, window);
        windows.Append(Step("a", 15), 3, window);
        var counts = Enumerable.Range(0, 3).Select(s => window[(s * f) + countIndex]).ToArray();
        Assert.True(counts[0] < counts[1] && counts[1] < counts[2], string.Join(", ", counts));

        windows.Append(Step("b", 1), 3, window);
        windows.Append(Step("c", 1), 3, window);
        Assert.Equal(2, windows.Count);
        windows.Append(Step("a", 1), 3, window);
        Assert.All(window[..(2 * f)], v => Assert.Equal(0f, v));
    }
}
