using GenSafety.Traffic.Api;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Labels;
using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Text;

namespace GenSafety.Traffic.Personas;

/// <summary>
/// A semantic-search app inside one topic: mostly single search queries, sometimes a batch of 8–32 documents to
/// index. Its embeddings stay in a small region of the space, which is what B4B coverage relies on.
/// </summary>
public sealed class EmbeddingsAppPersona : TrafficActor
{
    private readonly SeededRandom _random;
    private readonly Topic _topic;

    /// <summary>An app that sends <paramref name="requests"/> requests over about <paramref name="window"/> virtual seconds.</summary>
    public EmbeddingsAppPersona(TrafficLabel label, int requests, double window, SeededRandom random, PersonaTiming timing)
        : base(label)
    {
        _random = random.Fork("texts");
        _topic = random.Fork("setup").Pick(WordLists.Topics);
        Schedule = timing.Plan(timing.Embeddings, requests, window, random.Fork("timing"));
    }

    /// <summary>The app's topic.</summary>
    public string Topic => _topic.Name;

    /// <inheritdoc />
    public override TrafficRequest? Next(PlannedSend send)
    {
        if (_random.Chance(0.25))
        {
            var documents = Enumerable.Range(0, _random.Next(8, 33)).Select(_ => PromptFactory.Document(_topic, _random)).ToList();
            return TrafficRequest.Embeddings("index", documents);
        }

        var query = PromptFactory.Humanize(PromptFactory.Fill(_random.Pick(WordLists.ChatOpeners), _topic, _random), _random);
        return TrafficRequest.Embeddings("search", [query]);
    }
}
