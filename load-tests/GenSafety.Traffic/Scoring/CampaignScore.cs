namespace GenSafety.Traffic.Scoring;

/// <summary>
/// How one attack campaign fared against the gateway (definitions in docs/detection.md, "Detection benchmark").
/// </summary>
/// <param name="Campaign">Campaign id.</param>
/// <param name="Family">Attack family.</param>
/// <param name="Sybils">Attacker keys.</param>
/// <param name="Mix">Attacker share of the campaign's requests.</param>
/// <param name="Variant">Adaptive variant.</param>
/// <param name="Seed">Seed.</param>
/// <param name="AttackQueries">Attack requests sent (cover excluded), all keys together.</param>
/// <param name="PlannedAttackQueries">The attack's budget: the attack requests sent plus what blocked keys had left unsent.</param>
/// <param name="Keys">Attacker keys that sent something.</param>
/// <param name="KeysActedOn">Keys the gateway acted on: a degraded, challenged or refused answer, or level ≥ L2 read back after the campaign.</param>
/// <param name="ActedShare">Share of the attack requests sent by the keys acted on.</param>
/// <param name="Detected">Whether <see cref="ActedShare"/> reached the detection share.</param>
/// <param name="QueriesToDetection">Attack requests, campaign-wide, sent before the first acted-on answer to any attacker key; the whole campaign's when the only sign is a level read back; null when the gateway never acted.</param>
/// <param name="CleanAnswers">Attack requests answered 2xx and not degraded.</param>
/// <param name="WallSeconds">Wall time of the campaign (last answer).</param>
/// <param name="SurrogateFidelity">A4: the surrogate's mean cosine on held-out texts, when measured.</param>
/// <param name="PinnedLevel">The level attacker keys were pinned to (a reference run, left out of the detection figures), if any.</param>
public sealed record CampaignScore(
    string Campaign, string Family, int Sybils, double Mix, string Variant, ulong Seed, int AttackQueries, int PlannedAttackQueries,
    int Keys, int KeysActedOn, double ActedShare, bool Detected, int? QueriesToDetection, int CleanAnswers, double WallSeconds,
    double? SurrogateFidelity, string? PinnedLevel)
{
    /// <summary>
    /// Budget ÷ clean answers: how many times its undefended budget the attacker must send to collect
    /// the same clean answers at the rate this campaign got them (+∞ when it got none). Approximate: it assumes the
    /// attacker can keep replacing keys at that rate.
    /// </summary>
    public double CostMultiplier => CleanAnswers == 0 ? double.PositiveInfinity : PlannedAttackQueries / (double)CleanAnswers;

    /// <summary>Queries to detection with "never" as +∞, for quantiles.</summary>
    public double QueriesToDetectionOrInfinity => QueriesToDetection ?? double.PositiveInfinity;
}

/// <summary>A benign persona over every campaign.</summary>
/// <param name="Persona">Persona name.</param>
/// <param name="Clients">Benign clients of this persona.</param>
/// <param name="ClientsFlagged">Clients with any enforcement: an acted-on answer, or level ≥ L1 (delay) read back. The false positives.</param>
/// <param name="ClientsActedOn">Clients with an acted-on answer or level ≥ L2 read back.</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="RequestsActedOn">Requests degraded, challenged or refused.</param>
/// <param name="EmbeddingRequests">Embeddings requests answered 2xx.</param>
/// <param name="EmbeddingCosine">Mean cosine of returned to clean vectors over those (1 for undegraded answers); null without embeddings requests.</param>
public sealed record PersonaScore(
    string Persona, int Clients, int ClientsFlagged, int ClientsActedOn, int Requests, int RequestsActedOn, int EmbeddingRequests, double? EmbeddingCosine)
{
    /// <summary>False-positive rate: <see cref="ClientsFlagged"/> ÷ <see cref="Clients"/>.</summary>
    public double FalsePositiveRate => Clients == 0 ? 0 : ClientsFlagged / (double)Clients;

    /// <summary>Utility loss: 1 − <see cref="EmbeddingCosine"/> for embeddings, else the share of requests acted on.</summary>
    public double UtilityLoss => EmbeddingCosine is { } cosine ? 1 - cosine : Requests == 0 ? 0 : RequestsActedOn / (double)Requests;
}

/// <summary>One attack family (or one cell of the matrix) over its campaigns.</summary>
/// <param name="Key">The family, or the cell (<c>A1 s10 m5 none</c>).</param>
/// <param name="Campaigns">Campaigns.</param>
/// <param name="Detected">Campaigns detected.</param>
/// <param name="MedianQueriesToDetection">Median queries to detection (nearest rank; +∞ counts undetected campaigns as never).</param>
/// <param name="P90QueriesToDetection">90th percentile, the same way.</param>
/// <param name="MedianCostMultiplier">Median attacker cost multiplier.</param>
/// <param name="CleanShare">Clean answers ÷ attack requests sent, over all campaigns.</param>
public sealed record GroupScore(string Key, int Campaigns, int Detected, double MedianQueriesToDetection, double P90QueriesToDetection, double MedianCostMultiplier, double CleanShare)
{
    /// <summary>Detected ÷ campaigns.</summary>
    public double DetectionRate => Campaigns == 0 ? 0 : Detected / (double)Campaigns;
}
