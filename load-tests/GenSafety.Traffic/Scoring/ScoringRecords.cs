using System.Text.Json;

namespace GenSafety.Traffic.Scoring;

/// <summary>A campaign header line, as the scorer needs it.</summary>
/// <param name="Id">Campaign id.</param>
/// <param name="Scenario"><c>A1</c> … <c>A5</c> or <c>benign</c>.</param>
/// <param name="Sybils">Attacker keys (0 for benign-only).</param>
/// <param name="Mix">Attacker share of the requests.</param>
/// <param name="Variant">Adaptive variant.</param>
/// <param name="Seed">Seed.</param>
/// <param name="AttackQueries">Attack requests planned (cover excluded), when the header says.</param>
/// <param name="AttackLevel">Level the attacker keys were pinned to before the run (a reference run, not detection), if any.</param>
public sealed record CampaignLine(string Id, string Scenario, int Sybils, double Mix, string Variant, ulong Seed, int? AttackQueries, string? AttackLevel);

/// <summary>A request line, as the scorer needs it.</summary>
/// <param name="Campaign">Campaign id.</param>
/// <param name="Client">Client id.</param>
/// <param name="Role"><c>benign</c> or <c>attack</c>.</param>
/// <param name="Family">Persona or attack family.</param>
/// <param name="Cover">An attacker's cover request.</param>
/// <param name="Seq">Dispatch rank.</param>
/// <param name="Route">Route kind.</param>
/// <param name="Status">HTTP status.</param>
/// <param name="Error">OpenAI error code, when it failed.</param>
/// <param name="Degraded">Whether the answer was marked degraded.</param>
/// <param name="CleanCosine">Degraded embeddings: cosine to the clean vectors.</param>
/// <param name="WallMs">Wall-clock send time from the campaign's start.</param>
/// <param name="LatencyMs">Send to last byte.</param>
public sealed record RequestLine(
    string Campaign, string Client, string Role, string Family, bool Cover, long Seq, string Route, int Status, string? Error, bool Degraded,
    double? CleanCosine, double WallMs, double LatencyMs)
{
    /// <summary>
    /// The gateway's enforcement acted on this request: degraded it (L2), asked for proof-of-work (L3, <c>429
    /// challenge_required</c>) or refused a blocked client (L4, <c>403 client_blocked</c>). A policy's
    /// <c>rate_limited</c> is not an enforcement action.
    /// </summary>
    public bool Acted => Degraded || Error is "challenge_required" or "client_blocked";

    /// <summary>Answered 2xx and not degraded: what an attacker can use as is.</summary>
    public bool AnsweredClean => Status is >= 200 and < 300 && !Degraded;
}

/// <summary>A client line, as the scorer needs it.</summary>
/// <param name="Campaign">Campaign id.</param>
/// <param name="Client">Client id.</param>
/// <param name="Role"><c>benign</c> or <c>attack</c>.</param>
/// <param name="Family">Persona or attack family.</param>
/// <param name="FirstActionSeq">Seq of its first acted-on request.</param>
/// <param name="Level">Enforcement level read back after the campaign (0–4), when known.</param>
/// <param name="Planned">Requests planned.</param>
/// <param name="Sent">Requests sent (a blocked client stops early).</param>
public sealed record ClientLine(string Campaign, string Client, string Role, string Family, long? FirstActionSeq, int? Level, int Planned = 0, int Sent = 0);

/// <summary>An attack report line: its campaign and the A4 fidelity, when present.</summary>
/// <param name="Campaign">Campaign id.</param>
/// <param name="Family">Attack family.</param>
/// <param name="SurrogateMeanCosine">A4: surrogate fidelity on held-out texts.</param>
public sealed record AttackLine(string Campaign, string Family, double? SurrogateMeanCosine);

/// <summary>Every line of one or more JSONL files of <c>run</c>, by type.</summary>
public sealed class ScoringRecords
{
    /// <summary>Campaign headers.</summary>
    public List<CampaignLine> Campaigns { get; } = [];

    /// <summary>Requests.</summary>
    public List<RequestLine> Requests { get; } = [];

    /// <summary>Client summaries.</summary>
    public List<ClientLine> Clients { get; } = [];

    /// <summary>Attack reports.</summary>
    public List<AttackLine> Attacks { get; } = [];

    /// <summary>
    /// Reads <paramref name="paths"/>; a malformed line is an error naming the file and line. A campaign id that an
    /// earlier file already used (the same matrix run twice) gets <c>#2</c>, <c>#3</c>, … in every line of its file.
    /// </summary>
    public static ScoringRecords Read(IEnumerable<string> paths)
    {
        var records = new ScoringRecords();
        foreach (var path in paths)
        {
            var file = new ScoringRecords();
            var number = 0;
            foreach (var line in File.ReadLines(path))
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                try
                {
                    using var json = JsonDocument.Parse(line);
                    file.Add(json.RootElement);
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    throw new InvalidDataException($"{path}:{number}: not a traffic record ({ex.Message})", ex);
                }
            }

            records.Merge(file);
        }

        return records;
    }

    private void Merge(ScoringRecords file)
    {
        var taken = Campaigns.Select(c => c.Id).ToHashSet();
        var renamed = new Dictionary<string, string>();
        foreach (var id in file.Campaigns.Select(c => c.Id).Where(taken.Contains))
        {
            var n = 2;
            while (taken.Contains($"{id}#{n}"))
            {
                n++;
            }

            renamed[id] = $"{id}#{n}";
            taken.Add(renamed[id]);
        }

        string Id(string campaign) => renamed.GetValueOrDefault(campaign, campaign);
        Campaigns.AddRange(file.Campaigns.Select(c => c with { Id = Id(c.Id) }));
        Requests.AddRange(file.Requests.Select(r => r with { Campaign = Id(r.Campaign) }));
        Clients.AddRange(file.Clients.Select(c => c with { Campaign = Id(c.Campaign) }));
        Attacks.AddRange(file.Attacks.Select(a => a with { Campaign = Id(a.Campaign) }));
    }

    /// <summary>Adds one parsed line; lines of unknown type are ignored.</summary>
    public void Add(JsonElement e)
    {
        switch (e.GetProperty("type").GetString())
        {
            case "campaign":
                Campaigns.Add(new CampaignLine(
                    Str(e, "campaign"), Str(e, "scenario"), e.GetProperty("sybils").GetInt32(), e.GetProperty("mix").GetDouble(),
                    Str(e, "variant"), e.GetProperty("seed").GetUInt64(), OptionalInt(e, "attack_queries"),
                    e.TryGetProperty("attack_level", out var level) ? level.GetString() : null));
                break;
            case "request":
                Requests.Add(new RequestLine(
                    Str(e, "campaign"), Str(e, "client"), Str(e, "role"), Str(e, "family"),
                    e.TryGetProperty("cover", out var cover) && cover.GetBoolean(), e.GetProperty("seq").GetInt64(), Str(e, "route"),
                    e.GetProperty("status").GetInt32(), e.TryGetProperty("error", out var error) ? error.GetString() : null,
                    e.TryGetProperty("degraded", out var degraded) && degraded.ValueKind == JsonValueKind.String,
                    OptionalDouble(e, "clean_cosine"), OptionalDouble(e, "wall_ms") ?? 0, OptionalDouble(e, "latency_ms") ?? 0));
                break;
            case "client":
                Clients.Add(new ClientLine(
                    Str(e, "campaign"), Str(e, "client"), Str(e, "role"), Str(e, "family"),
                    e.TryGetProperty("first_action_seq", out var first) && first.ValueKind == JsonValueKind.Number ? first.GetInt64() : null,
                    e.TryGetProperty("enforcement", out var enforcement) && enforcement.ValueKind == JsonValueKind.Object
                        ? ParseLevel(Str(enforcement, "level")) : null,
                    OptionalInt(e, "planned") ?? 0, OptionalInt(e, "sent") ?? 0));
                break;
            case "attack":
                Attacks.Add(new AttackLine(Str(e, "campaign"), Str(e, "family"), OptionalDouble(e, "surrogate_mean_cosine")));
                break;
        }
    }

    /// <summary><c>L0</c> … <c>L4</c> as 0 … 4; null for anything else.</summary>
    public static int? ParseLevel(string? level) =>
        level is ['L', var digit] && digit is >= '0' and <= '4' ? digit - '0' : null;

    private static string Str(JsonElement e, string name) =>
        e.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null");

    private static int? OptionalInt(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static double? OptionalDouble(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
