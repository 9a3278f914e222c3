using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Labels;
using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Text;

namespace GenSafety.Traffic.Personas;

/// <summary>
/// An app that uses the chat model as a classifier, the legitimate use of <c>logit_bias</c>: one fixed set of 2–5
/// label tokens biased +100, <c>max_tokens</c> 1, temperature 0, and (in half of the apps) the labels' logprobs as a
/// confidence. The bias set never changes, which is what tells it apart from a logit sweep.
/// </summary>
public sealed class ClassifierAppPersona : TrafficActor
{
    private static readonly (string Task, string[] Labels)[] Tasks =
    [
        ("the sentiment of the review", ["positive", "negative", "neutral"]),
        ("whether the message is spam", ["spam", "ham"]),
        ("the intent of the support ticket", ["billing", "technical", "account", "other"]),
        ("the topic of the question", ["cooking", "travel", "programming", "gardening", "fitness"]),
    ];

    private static readonly string[] Tones = ["I loved it.", "Terrible experience, never again.", "It was fine, nothing special.", "Works as described.", "Please refund me.", "Best purchase this year!"];

    private readonly SeededRandom _random;
    private readonly string _system;
    private readonly JsonObject _bias;
    private readonly int _labelCount;
    private readonly bool _logprobs;

    /// <summary>An app that sends <paramref name="requests"/> requests over about <paramref name="window"/> virtual seconds.</summary>
    public ClassifierAppPersona(TrafficLabel label, int requests, double window, SeededRandom random, PersonaTiming timing)
        : base(label)
    {
        var setup = random.Fork("setup");
        var (task, labels) = setup.Pick(Tasks);
        var ids = TokenIds.SpacedWords(labels);
        _labelCount = ids.Count;
        _bias = TrafficRequest.LogitBias(ids.Select(t => KeyValuePair.Create(t.Id, 100.0)));
        _logprobs = setup.Chance(0.5);
        _system = $"Classify {task}. Answer with exactly one word: {string.Join(", ", labels)}.";
        _random = random.Fork("texts");
        Schedule = timing.Plan(timing.Classifier, requests, window, random.Fork("timing"));
    }

    /// <summary>Label tokens this app biases.</summary>
    public int LabelCount => _labelCount;

    /// <inheritdoc />
    public override TrafficRequest? Next(PlannedSend send)
    {
        var text = PromptFactory.Statement(_random.Pick(WordLists.Topics), _random) + " " + _random.Pick(Tones);
        var parameters = new JsonObject
        {
            ["max_tokens"] = 1,
            ["temperature"] = 0,
            ["logit_bias"] = _bias.DeepClone(),
        };
        if (_logprobs)
        {
            parameters["logprobs"] = true;
            parameters["top_logprobs"] = _labelCount;
        }

        return TrafficRequest.Chat("classify", [("system", _system), ("user", $"Text: {text}\nLabel:")], parameters);
    }
}
