using System.Globalization;
using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Labels;
using GenSafety.Traffic.Personas;
using GenSafety.Traffic.Randomness;

namespace GenSafety.Traffic.Campaigns;

/// <summary>
/// A campaign built from its spec: the benign actors, the attacker keys and the attack they share, every send time
/// planned. Building touches no network; the same spec gives the same campaign.
/// </summary>
public sealed class Campaign
{
    private Campaign(CampaignSpec spec, IReadOnlyList<TrafficActor> actors, IAttack? attack, double span)
    {
        Spec = spec;
        Actors = actors;
        Attack = attack;
        SpanSeconds = span;
    }

    /// <summary>What it was built from.</summary>
    public CampaignSpec Spec { get; }

    /// <summary>Campaign id.</summary>
    public string Id => Spec.Id;

    /// <summary>Benign actors first, then attacker keys.</summary>
    public IReadOnlyList<TrafficActor> Actors { get; }

    /// <summary>The attack, or null for a benign-only campaign.</summary>
    public IAttack? Attack { get; }

    /// <summary>Virtual time of the last planned send.</summary>
    public double SpanSeconds { get; }

    /// <summary>Builds the campaign of <paramref name="spec"/>.</summary>
    public static Campaign Build(CampaignSpec spec)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spec.Sybils, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(spec.Mix);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spec.Mix, 1);
        var root = new SeededRandom(spec.Seed);
        var actors = new List<TrafficActor>();
        var benignRequests = spec.Queries - spec.AttackerRequests;
        var prefix = $"{spec.RunId}-{spec.Id}";

        var index = 0;
        foreach (var (persona, requests) in AllocateBenign(spec, benignRequests, root.Fork("allocation")))
        {
            var label = new TrafficLabel(spec.Id, ClientId(prefix, "b", index), Roles.Benign, persona, spec.Variant, -1);
            actors.Add(PersonaNames.Create(label, requests, spec.WindowSeconds, root.Fork("benign", index), spec.Timing));
            index++;
        }

        var span = actors.Count == 0 ? spec.WindowSeconds : LastSend(actors);
        IAttack? attack = null;
        if (spec.AttackerRequests > 0)
        {
            var coverRatio = spec.Interleaves ? spec.CoverRatio : 0;
            attack = AttackFactory.Create(spec.Scenario, new AttackSetup(
                spec.Sybils,
                spec.AttackBudget,
                spec.VariesWording,
                root.Fork("attack"),
                spec.Attack));
            var budgets = Split(spec.AttackerRequests, spec.Sybils);
            for (var s = 0; s < spec.Sybils; s++)
            {
                if (budgets[s] == 0)
                {
                    continue;
                }

                var random = root.Fork("sybil", s);
                var label = new TrafficLabel(spec.Id, ClientId(prefix, "a", s), Roles.Attack, spec.Scenario, spec.Variant, s);
                actors.Add(new SybilActor(label, attack, AttackSchedule(spec, budgets[s], span, random.Fork("timing")), coverRatio, random));
            }
        }

        return new Campaign(spec, actors, attack, LastSend(actors));
    }

    /// <summary>
    /// Attacker keys spread their requests over the benign traffic's span so that the mix holds throughout: a script's
    /// regular rhythm, or (interleaving) a person's sessions and think times, stretched to the span.
    /// </summary>
    private static List<PlannedSend> AttackSchedule(CampaignSpec spec, int requests, double span, SeededRandom random)
    {
        var start = random.Uniform(0, span / Math.Max(1, requests));
        return spec.Interleaves
            ? Pacing.FitToWindow(spec.Timing.Chat.Plan(requests, 0, span, random), start, span)
            : new RegularPacing(0.1).Plan(requests, start, span, random);
    }

    /// <summary>
    /// Splits the benign requests over personas by weight, then over each persona's clients by log-normal activity
    /// (a few heavy users, many light ones); every client gets at least one request.
    /// </summary>
    private static List<(string Persona, int Requests)> AllocateBenign(CampaignSpec spec, int requests, SeededRandom random)
    {
        var result = new List<(string, int)>();
        if (requests <= 0)
        {
            return result;
        }

        var weights = PersonaNames.All.Select(p => spec.PersonaWeights.GetValueOrDefault(p)).ToArray();
        var personaRequests = Split(requests, weights);
        var personaClients = Split(Math.Max(spec.BenignClients, weights.Count(w => w > 0)), weights);
        for (var p = 0; p < PersonaNames.All.Count; p++)
        {
            var clients = Math.Min(Math.Max(personaClients[p], personaRequests[p] > 0 ? 1 : 0), personaRequests[p]);
            if (clients == 0)
            {
                continue;
            }

            var activity = Enumerable.Range(0, clients).Select(_ => random.LogNormal(1, 1)).ToArray();
            var extra = Split(personaRequests[p] - clients, activity);
            result.AddRange(extra.Select(e => (PersonaNames.All[p], e + 1)));
        }

        return result;
    }

    /// <summary>Splits <paramref name="total"/> evenly over <paramref name="parts"/>.</summary>
    public static int[] Split(int total, int parts) => Split(total, Enumerable.Repeat(1.0, parts).ToArray());

    /// <summary>Splits <paramref name="total"/> in proportion to <paramref name="weights"/> (largest remainders, ties to the first).</summary>
    public static int[] Split(int total, IReadOnlyList<double> weights)
    {
        var sum = weights.Sum();
        var result = new int[weights.Count];
        if (sum <= 0 || total <= 0)
        {
            return result;
        }

        var exact = weights.Select(w => total * w / sum).ToArray();
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (int)Math.Floor(exact[i]);
        }

        var order = Enumerable.Range(0, result.Length).OrderByDescending(i => exact[i] - result[i]).ThenBy(i => i).ToList();
        var left = total - result.Sum();
        for (var k = 0; k < left; k++)
        {
            result[order[k]]++;
        }

        return result;
    }

    private static double LastSend(List<TrafficActor> actors) => actors.Count == 0 ? 0 : actors.Max(a => a.Schedule.Count == 0 ? 0 : a.Schedule[^1].T);

    private static string ClientId(string prefix, string kind, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{kind}{index:D3}");
}
