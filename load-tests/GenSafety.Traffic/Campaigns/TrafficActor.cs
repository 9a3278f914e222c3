using GenSafety.Traffic.Api;
using GenSafety.Traffic.Labels;
using GenSafety.Traffic.Personas;

namespace GenSafety.Traffic.Campaigns;

/// <summary>
/// One API client in a campaign: a benign persona or one attacker key. Its send times are planned up front
/// (<see cref="Schedule"/>); what it sends is decided when it is its turn, after it has seen the answer to its
/// previous request. An actor draws only from its own random streams, so the same seed and the same answers give
/// the same requests whatever the timing.
/// </summary>
public abstract class TrafficActor(TrafficLabel label)
{
    /// <summary>Who this actor is.</summary>
    public TrafficLabel Label { get; } = label;

    /// <summary>Planned sends (one per request of its budget), in time order.</summary>
    public IReadOnlyList<PlannedSend> Schedule { get; protected set; } = [];

    /// <summary>The key it sends with; set when the campaign's clients are provisioned.</summary>
    public TrafficClient? Client { get; set; }

    /// <summary>The next request, for the planned send <paramref name="send"/>; null when it has nothing more to send.</summary>
    public abstract TrafficRequest? Next(PlannedSend send);

    /// <summary>Sees the answer to a request it sent.</summary>
    public virtual void Observe(TrafficRequest request, TrafficResponse response)
    {
    }
}
