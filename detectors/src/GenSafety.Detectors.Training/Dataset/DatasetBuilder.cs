using System.Text.Json;
using GenSafety.Gateway.Detection.Learned;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Campaigns;
using GenSafety.Traffic.Labels;
using Microsoft.Extensions.Configuration;

namespace GenSafety.Detectors.Training.Dataset;

/// <summary>
/// Makes the dataset: builds each campaign of the traffic generator, takes every actor's planned requests in time
/// order (attacks that adapt to answers send what they planned: nothing is forwarded) and replays them through the
/// gateway's detection path (<see cref="LearnedFeatureReplay"/>, default detector configuration, hashing embedder),
/// one fresh replay per campaign. Each client step becomes a row labelled with the client's role and family.
/// </summary>
internal static class DatasetBuilder
{
    /// <summary>The gateway's tenant in the replay.</summary>
    public const string Tenant = "default";

    /// <summary>Replays <paramref name="specs"/> into rows.</summary>
    public static async Task<List<DatasetRow>> BuildAsync(
        IReadOnlyList<CampaignSpec> specs, int window, TimeSpan batchWindow, TextWriter? log, CancellationToken cancellationToken)
    {
        var rows = new List<DatasetRow>();
        var configuration = new ConfigurationBuilder().Build();
        foreach (var spec in specs)
        {
            var campaign = Campaign.Build(spec);
            var labels = campaign.Actors.ToDictionary(a => a.Label.Client, a => a.Label, StringComparer.Ordinal);
            using var replay = LearnedFeatureReplay.Create(configuration);
            var steps = await replay.ReplayAsync(Requests(campaign), batchWindow, window, cancellationToken);
            foreach (var step in steps)
            {
                var label = labels[step.Client];
                rows.Add(new DatasetRow(campaign.Id, step.Client, label.Family, label.Role == Roles.Attack, step.Requests, step.AnalyticRisk, step.Window));
            }

            log?.WriteLine($"  {campaign.Id}: {steps.Count} steps of {labels.Count} clients");
        }

        return rows;
    }

    /// <summary>The campaign's planned requests, every actor's in its send order.</summary>
    public static IEnumerable<ReplayRequest> Requests(Campaign campaign)
    {
        var start = DateTimeOffset.UnixEpoch.AddDays(1);
        var sends = campaign.Actors.SelectMany(a => a.Schedule.Select(s => (Actor: a, Send: s))).OrderBy(x => x.Send.T).ToList();
        foreach (var (actor, send) in sends)
        {
            if (actor.Next(send) is not { } request)
            {
                continue;
            }

            var body = JsonSerializer.SerializeToUtf8Bytes(request.Body);
            yield return new ReplayRequest(Tenant, actor.Label.Client, start.AddSeconds(send.T), TrafficRoutes.Name(request.Route), body);
        }
    }
}
