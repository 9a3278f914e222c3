using System.Diagnostics;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Labels;
using GenSafety.Traffic.Personas;

namespace GenSafety.Traffic.Campaigns;

/// <summary>
/// Plays a campaign against a target. Every planned send of every actor is dispatched in virtual-time order (ties:
/// actor, then request index); an actor's next request waits for the answer to its previous one, and at most
/// <see cref="RunnerSettings.Concurrency"/> requests are in flight. With a speedup the dispatch also waits for the
/// wall clock. Each request becomes a labelled <see cref="RequestRecord"/> whose <c>seq</c> is its dispatch rank.
/// With <paramref name="drift"/>, degraded embeddings answers also get their cosine to the clean vectors.
/// </summary>
public sealed class CampaignRunner(ITrafficTransport transport, RunnerSettings settings, EmbeddingDrift? drift = null)
{
    /// <summary>Runs <paramref name="campaign"/> (its actors must have clients) and logs every request to <paramref name="log"/>.</summary>
    public async Task<CampaignOutcome> RunAsync(Campaign campaign, TrafficLog log, CancellationToken cancellationToken)
    {
        var actors = campaign.Actors;
        if (actors.Any(a => a.Client is null))
        {
            throw new InvalidOperationException("Provision the campaign's clients before running it.");
        }

        var events = new List<(double T, int Actor, int Index)>();
        for (var a = 0; a < actors.Count; a++)
        {
            for (var k = 0; k < actors[a].Schedule.Count; k++)
            {
                events.Add((actors[a].Schedule[k].T, a, k));
            }
        }

        events.Sort();
        var previous = Enumerable.Repeat(Task.CompletedTask, actors.Count).ToArray();
        var stopped = new bool[actors.Count];
        var slots = new SemaphoreSlim(settings.Concurrency);
        var clock = Stopwatch.StartNew();
        long seq = 0;
        foreach (var (t, a, k) in events)
        {
            await previous[a];
            if (stopped[a])
            {
                continue;
            }

            if (settings.Speedup > 0)
            {
                // Timers round and may fire a little early: wait again until the stopwatch says it is time.
                TimeSpan due;
                while ((due = TimeSpan.FromSeconds(t / settings.Speedup) - clock.Elapsed) > TimeSpan.Zero)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(due.TotalMilliseconds)), cancellationToken);
                }
            }

            await slots.WaitAsync(cancellationToken);
            var actor = actors[a];
            var send = actor.Schedule[k];
            var request = actor.Next(send);
            if (request is null)
            {
                stopped[a] = true;
                slots.Release();
                continue;
            }

            var context = new Dispatch(actor, request, send, seq++, clock.Elapsed.TotalMilliseconds);
            previous[a] = SendAsync(context, log, slots, () => stopped[a] = true, cancellationToken);
        }

        await Task.WhenAll(previous);
        return new CampaignOutcome(campaign, clock.Elapsed, [.. log.Requests.Where(r => r.Campaign == campaign.Id)]);
    }

    private async Task SendAsync(Dispatch dispatch, TrafficLog log, SemaphoreSlim slots, Action stop, CancellationToken cancellationToken)
    {
        try
        {
            var response = await transport.SendAsync(dispatch.Actor.Client!, dispatch.Request, cancellationToken);
            dispatch.Actor.Observe(dispatch.Request, response);
            var cleanCosine = drift is null ? null : await drift.CleanCosineAsync(dispatch.Request, response, cancellationToken);
            log.Add(Record(dispatch, response) with { CleanCosine = cleanCosine is { } c ? Math.Round(c, 6) : null });
            if (settings.StopOnBlock && (response.Status == 401 || (response.Status == 403 && response.ErrorCode == "client_blocked")))
            {
                stop();
            }
        }
        finally
        {
            slots.Release();
        }
    }

    private static RequestRecord Record(Dispatch dispatch, TrafficResponse response)
    {
        return new RequestRecord(dispatch.Actor.Label, dispatch.Actor.Client!.Id)
        {
            Seq = dispatch.Seq,
            T = Math.Round(dispatch.Send.T, 3),
            WallMs = Math.Round(dispatch.WallMs, 1),
            Cover = dispatch.Request.Cover,
            Kind = dispatch.Request.Kind,
            Route = TrafficRoutes.Name(dispatch.Request.Route),
            Shape = RequestShape.Of(dispatch.Request),
            Status = response.Status,
            Error = response.ErrorCode,
            LatencyMs = Math.Round(response.LatencyMs, 2),
            Degraded = response.Degraded,
            Attempts = response.Attempts,
            PromptTokens = response.PromptTokens,
            CompletionTokens = response.CompletionTokens,
            FinishReason = response.FinishReason,
        };
    }

    private sealed record Dispatch(TrafficActor Actor, TrafficRequest Request, PlannedSend Send, long Seq, double WallMs);
}

/// <summary>What a campaign run produced.</summary>
/// <param name="Campaign">The campaign.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Requests">Its request records, in completion order (sort by <c>Seq</c> for dispatch order).</param>
public sealed record CampaignOutcome(Campaign Campaign, TimeSpan Elapsed, IReadOnlyList<RequestRecord> Requests);
