using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Randomness;
using GenSafety.Traffic.Text;

namespace GenSafety.Traffic.Personas;

/// <summary>
/// A chat user's habits and current conversation: a few favourite topics, whether the app sends a system prompt,
/// which sampling settings it uses; each session opens with a question and continues with follow-ups that carry
/// the history (earlier assistant answers cut to <see cref="MaxHistoryChars"/>).
/// </summary>
public sealed class ChatConversation
{
    /// <summary>Longest assistant answer kept in the history.</summary>
    public const int MaxHistoryChars = 400;

    private static readonly string[] SystemPrompts =
    [
        "You are a helpful assistant.",
        "You are a friendly assistant. Answer concisely.",
        "You are an expert tutor. Explain step by step and keep answers under 200 words.",
    ];

    private static readonly int?[] MaxTokenChoices = [null, 256, 512, 1024];
    private static readonly double?[] TemperatureChoices = [null, 0.7, 1.0, 0.3];

    private readonly SeededRandom _random;
    private readonly IReadOnlyList<Topic> _topics;
    private readonly string? _system;
    private readonly int? _maxTokens;
    private readonly double? _temperature;
    private readonly List<(string Role, string Content)> _history = [];
    private Topic _topic;

    /// <summary>A user with habits drawn from <paramref name="random"/>.</summary>
    public ChatConversation(SeededRandom random)
    {
        _random = random;
        _topics = random.Sample(WordLists.Topics, random.Next(1, 4));
        _system = random.Chance(0.5) ? random.Pick(SystemPrompts) : null;
        _maxTokens = random.Pick(MaxTokenChoices);
        _temperature = random.Pick(TemperatureChoices);
        _topic = _topics[0];
    }

    /// <summary>The next turn: a new conversation when <paramref name="newSession"/>, else a follow-up.</summary>
    public TrafficRequest NextTurn(bool newSession, string kind = "chat-turn", bool cover = false)
    {
        if (newSession || !_history.Exists(m => m.Role == "user"))
        {
            _history.Clear();
            _topic = _random.Pick(_topics);
            if (_system is not null)
            {
                _history.Add(("system", _system));
            }

            _history.Add(("user", PromptFactory.Humanize(PromptFactory.Fill(_random.Pick(WordLists.ChatOpeners), _topic, _random), _random)));
        }
        else
        {
            _history.Add(("user", PromptFactory.Humanize(PromptFactory.Fill(_random.Pick(WordLists.ChatFollowUps), _topic, _random), _random)));
        }

        var parameters = new JsonObject();
        if (_maxTokens is { } maxTokens)
        {
            parameters["max_tokens"] = maxTokens;
        }

        if (_temperature is { } temperature)
        {
            parameters["temperature"] = temperature;
        }

        return TrafficRequest.Chat(kind, [.. _history], parameters, cover: cover);
    }

    /// <summary>Adds the assistant's answer to the history (or drops the unanswered question).</summary>
    public void Answered(TrafficResponse response)
    {
        if (response.Ok && response.Content is { } content)
        {
            _history.Add(("assistant", content.Length <= MaxHistoryChars ? content : content[..MaxHistoryChars]));
        }
        else if (_history.Count > 0 && _history[^1].Role == "user")
        {
            _history.RemoveAt(_history.Count - 1);
        }
    }
}
