using GenSafety.Traffic.Api;
using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Labels;
using GenSafety.Traffic.Personas;
using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Campaigns;

/// <summary>
/// One attacker key: it asks the shared attack what to send; in the interleaving variant it also sends
/// benign-looking chat turns (cover) with probability <c>coverRatio / (1 + coverRatio)</c> per request.
/// </summary>
public sealed class SybilActor : TrafficActor
{
    private readonly IAttack _attack;
    private readonly double _coverProbability;
    private readonly SeededRandom _random;
    private readonly ChatConversation _cover;

    /// <summary>Key <see cref="TrafficLabel.Sybil"/> of <paramref name="attack"/>, sending at <paramref name="schedule"/>.</summary>
    public SybilActor(TrafficLabel label, IAttack attack, IReadOnlyList<PlannedSend> schedule, double coverRatio, SeededRandom random)
        : base(label)
    {
        _attack = attack;
        _coverProbability = coverRatio <= 0 ? 0 : coverRatio / (1 + coverRatio);
        _random = random.Fork("cover-choice");
        _cover = new ChatConversation(random.Fork("cover"));
        Schedule = schedule;
    }

    /// <inheritdoc />
    public override TrafficRequest? Next(PlannedSend send)
    {
        if (_coverProbability > 0 && _random.Chance(_coverProbability))
        {
            return _cover.NextTurn(_random.Chance(0.4), "cover", cover: true);
        }

        return _attack.NextFor(Label.Sybil);
    }

    /// <inheritdoc />
    public override void Observe(TrafficRequest request, TrafficResponse response)
    {
        if (request.Cover)
        {
            _cover.Answered(response);
        }
        else
        {
            _attack.Observe(Label.Sybil, request, response);
        }
    }
}
