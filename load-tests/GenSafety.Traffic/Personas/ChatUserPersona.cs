using GenSafety.Traffic.Api;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Labels;
using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Personas;

/// <summary>
/// A person chatting: conversations on a few favourite topics, questions and follow-ups with the history, think
/// time between turns and idle time between sessions (<see cref="SessionPacing"/>).
/// </summary>
public sealed class ChatUserPersona : TrafficActor
{
    private readonly ChatConversation _conversation;

    /// <summary>A user who sends <paramref name="requests"/> requests over about <paramref name="window"/> virtual seconds.</summary>
    public ChatUserPersona(TrafficLabel label, int requests, double window, SeededRandom random, PersonaTiming timing)
        : base(label)
    {
        _conversation = new ChatConversation(random.Fork("habits"));
        Schedule = timing.Plan(timing.Chat, requests, window, random.Fork("timing"));
    }

    /// <inheritdoc />
    public override TrafficRequest? Next(PlannedSend send) => _conversation.NextTurn(send.StartsSession);

    /// <inheritdoc />
    public override void Observe(TrafficRequest request, TrafficResponse response) => _conversation.Answered(response);
}
