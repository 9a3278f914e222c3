using System.Globalization;
using GenSafety.Traffic.Attacks;
using GenSafety.Traffic.Personas;

namespace GenSafety.Traffic.Campaigns;

/// <summary>
/// One campaign: an attack (or none) split over some keys, mixed into benign traffic at some share, in one
/// variant, from one seed. The benchmark matrix is the cross product of scenarios × sybils × mixes × variants.
/// </summary>
public sealed record CampaignSpec
{
    /// <summary><c>A1</c> … <c>A5</c>, or <see cref="BenignOnly"/>.</summary>
    public required string Scenario { get; init; }

    /// <summary>Attacker keys (1, 10, 100 in the benchmark).</summary>
    public int Sybils { get; init; } = 1;

    /// <summary>Share of all requests sent by attacker keys (0.05, 0.10, 0.25, 0.50), cover traffic included.</summary>
    public double Mix { get; init; } = 0.25;

    /// <summary>Adaptive variant (<see cref="Variants"/>).</summary>
    public string Variant { get; init; } = Variants.None;

    /// <summary>Seed of every random choice.</summary>
    public ulong Seed { get; init; } = 7;

    /// <summary>Requests in the campaign, benign and attack.</summary>
    public int Queries { get; init; } = 2000;

    /// <summary>Benign clients (split over personas by <see cref="PersonaWeights"/>).</summary>
    public int BenignClients { get; init; } = 40;

    /// <summary>Share of benign requests (and clients) per persona.</summary>
    public IReadOnlyDictionary<string, double> PersonaWeights { get; init; } = DefaultPersonaWeights;

    /// <summary>Virtual duration the benign traffic is spread over, seconds (requests ÷ window = the rate).</summary>
    public double WindowSeconds { get; init; } = 3600;

    /// <summary>With interleaving: benign-looking requests an attacker key sends per attack request, on average.</summary>
    public double CoverRatio { get; init; } = 1;

    /// <summary>Persona pacing.</summary>
    public PersonaTiming Timing { get; init; } = new();

    /// <summary>Per-family attack parameters.</summary>
    public AttackOptions Attack { get; init; } = new();

    /// <summary>Prefix of client ids, so that reruns against the same gateway do not collide (not part of the randomness).</summary>
    public string RunId { get; init; } = "run";

    /// <summary>Scenario with no attacker.</summary>
    public const string BenignOnly = "benign";

    /// <summary>The default persona shares.</summary>
    public static IReadOnlyDictionary<string, double> DefaultPersonaWeights { get; } = new Dictionary<string, double>
    {
        [PersonaNames.Chat] = 0.5,
        [PersonaNames.Rag] = 0.2,
        [PersonaNames.Classifier] = 0.15,
        [PersonaNames.Embeddings] = 0.15,
    };

    /// <summary>Whether attacker keys interleave benign-looking requests.</summary>
    public bool Interleaves => Variant is Variants.Interleave or Variants.Both;

    /// <summary>Whether attack requests vary their wording and parameters.</summary>
    public bool VariesWording => Variant is Variants.Wording or Variants.Both;

    /// <summary>Requests sent by attacker keys (cover included).</summary>
    public int AttackerRequests => Scenario == BenignOnly ? 0 : (int)Math.Round(Queries * Mix);

    /// <summary>
    /// The same campaign sized by its attack instead of its total: the attacker sends <paramref name="attackQueries"/>
    /// attack requests (plus cover when it interleaves), the benign volume follows from the mix, and the benign
    /// clients from <paramref name="requestsPerBenignClient"/>. With a fixed total, a 5 % mix split over 100 keys
    /// leaves each key about one attack request and the attack could not succeed even undefended; a fixed attack
    /// budget keeps every cell of the matrix an attack that works when nothing stops it.
    /// </summary>
    public CampaignSpec WithAttackBudget(int attackQueries, int requestsPerBenignClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attackQueries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerBenignClient, 1);
        if (Scenario == BenignOnly)
        {
            return this with { BenignClients = Math.Max(1, (int)Math.Round(Queries / (double)requestsPerBenignClient)) };
        }

        var attacker = attackQueries * (1 + (Interleaves ? CoverRatio : 0));
        var queries = (int)Math.Round(attacker / Mix);
        var benign = queries - (int)Math.Round(queries * Mix);
        return this with
        {
            Queries = queries,
            AttackQueries = attackQueries,
            BenignClients = Math.Max(1, (int)Math.Round(benign / (double)requestsPerBenignClient)),
        };
    }

    /// <summary>Attack requests (cover excluded) the campaign was sized for by <see cref="WithAttackBudget"/>; null when sized by <see cref="Queries"/>.</summary>
    public int? AttackQueries { get; init; }

    /// <summary>Attack requests planned, cover excluded: the budget the attack is built with.</summary>
    public int AttackBudget => AttackQueries ?? (int)Math.Round(AttackerRequests / (1 + (Interleaves ? CoverRatio : 0)));

    /// <summary>The campaign id: <c>a1-s10-m25-none-7</c>.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture,
        $"{Scenario.ToLowerInvariant()}-s{(Scenario == BenignOnly ? 0 : Sybils)}-m{Math.Round(Mix * 100):0}-{Variant}-{Seed}");
}

/// <summary>Values of <see cref="CampaignSpec.Variant"/>.</summary>
public static class Variants
{
    /// <summary>The attack as published.</summary>
    public const string None = "none";

    /// <summary>Attacker keys interleave benign-looking chat requests and pace like people.</summary>
    public const string Interleave = "interleave";

    /// <summary>Attack requests vary wording, parameters and bias patterns.</summary>
    public const string Wording = "wording";

    /// <summary>Both adaptations.</summary>
    public const string Both = "both";

    /// <summary>All variants.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Interleave, Wording, Both];
}
