using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Gateway;

namespace GenSafety.Traffic.Labels;

/// <summary>
/// One JSONL line per client after its campaign (<c>"type":"client"</c>): what it planned and sent, how the
/// target answered, and — when the admin API is known — the gateway's enforcement state for it. A benchmark
/// reads detection (level, risk, first refusal) per labelled client from these lines.
/// </summary>
public sealed record ClientSummary : LabelledRecord
{
    /// <summary>A line for <paramref name="label"/>, sent as <paramref name="client"/>.</summary>
    public ClientSummary(TrafficLabel label, string client)
        : base("client", label, client)
    {
    }

    /// <summary>Requests planned.</summary>
    public required int Planned { get; init; }

    /// <summary>Requests sent.</summary>
    public required int Sent { get; init; }

    /// <summary>2xx answers.</summary>
    public required int Ok { get; init; }

    /// <summary>2xx answers marked degraded.</summary>
    public required int Degraded { get; init; }

    /// <summary>Requests that needed a solved proof-of-work.</summary>
    public required int ProofOfWork { get; init; }

    /// <summary>Count per status code (<c>"200"</c>, <c>"429"</c>, …; <c>"0"</c>: no response).</summary>
    public required IReadOnlyDictionary<string, int> Statuses { get; init; }

    /// <summary>Count per error code.</summary>
    public required IReadOnlyDictionary<string, int> Errors { get; init; }

    /// <summary>Seq of the client's first request that was degraded or refused (403, 429), if any: the first sign the gateway acted.</summary>
    public long? FirstActionSeq { get; init; }

    /// <summary>How many of the client's requests came before <see cref="FirstActionSeq"/> (queries to detection).</summary>
    public int? QueriesBeforeAction { get; init; }

    /// <summary>Gateway enforcement state after the campaign (null: not asked or not shown).</summary>
    public ClientEnforcement? Enforcement { get; init; }

    /// <summary>Summaries of every actor of <paramref name="outcome"/>; enforcement read through <paramref name="admin"/> when given.</summary>
    public static async Task<List<ClientSummary>> ForCampaignAsync(CampaignOutcome outcome, GatewayAdmin? admin, CancellationToken cancellationToken)
    {
        var byClient = outcome.Requests.GroupBy(r => r.Client).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Seq).ToList());
        var result = new List<ClientSummary>();
        foreach (var actor in outcome.Campaign.Actors)
        {
            var id = actor.Client?.Id ?? actor.Label.Client;
            var requests = byClient.GetValueOrDefault(id) ?? [];
            var firstAction = requests.FindIndex(r => r.Degraded is not null || r.Status is 403 or 429);
            ClientEnforcement? enforcement = null;
            if (admin is not null)
            {
                try
                {
                    enforcement = await admin.GetEnforcementAsync(id, cancellationToken);
                }
                catch (GatewayAdminException)
                {
                    // A client the gateway no longer shows: summary without enforcement.
                }
            }

            result.Add(new ClientSummary(actor.Label, id)
            {
                Planned = actor.Schedule.Count,
                Sent = requests.Count,
                Ok = requests.Count(r => r.Status is >= 200 and < 300),
                Degraded = requests.Count(r => r.Degraded is not null),
                ProofOfWork = requests.Count(r => r.Attempts > 1),
                Statuses = Count(requests.Select(r => r.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                Errors = Count(requests.Where(r => r.Error is not null).Select(r => r.Error!)),
                FirstActionSeq = firstAction < 0 ? null : requests[firstAction].Seq,
                QueriesBeforeAction = firstAction < 0 ? null : firstAction,
                Enforcement = enforcement,
            });
        }

        return result;
    }

    private static SortedDictionary<string, int> Count(IEnumerable<string> keys) =>
        new(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
}
