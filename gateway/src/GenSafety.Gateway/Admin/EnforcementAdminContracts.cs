using System.Text.Json.Serialization;
using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Enforcement.Levels;

namespace GenSafety.Gateway.Admin;

/// <summary>A policy's limits as the admin API shows them (0: unlimited).</summary>
/// <param name="Policy">Resolved policy name.</param>
/// <param name="RequestsPerMinute">Requests per minute.</param>
/// <param name="TokensPerMinute">Tokens per minute.</param>
/// <param name="MaxConcurrentStreams">Concurrent streams.</param>
/// <param name="DailyTokenQuota">Tokens per UTC day.</param>
public sealed record PolicyLimitsResponse(
    [property: JsonPropertyName("policy")] string Policy,
    [property: JsonPropertyName("requests_per_minute")] long RequestsPerMinute,
    [property: JsonPropertyName("tokens_per_minute")] long TokensPerMinute,
    [property: JsonPropertyName("max_concurrent_streams")] long MaxConcurrentStreams,
    [property: JsonPropertyName("daily_token_quota")] long DailyTokenQuota)
{
    /// <summary>Maps resolved limits.</summary>
    public static PolicyLimitsResponse From(PolicyLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new(limits.Name, limits.RequestsPerMinute, limits.TokensPerMinute, limits.MaxConcurrentStreams, limits.DailyTokenQuota);
    }
}

/// <summary>A client's enforcement state as the admin API shows it.</summary>
/// <param name="Risk">Decayed risk now.</param>
/// <param name="Level">Level now (<c>L0</c> … <c>L4</c>).</param>
/// <param name="PinnedLevel">Admin-pinned level, if any.</param>
/// <param name="PinnedUntil">End of the pin (absent: until cleared).</param>
/// <param name="BlockedUntil">End of the block, if blocked by risk.</param>
/// <param name="Coverage">B4B coverage, if known.</param>
/// <param name="Reasons">Top reasons, highest score first.</param>
public sealed record EnforcementResponse(
    [property: JsonPropertyName("risk")] double Risk,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("pinned_level"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PinnedLevel,
    [property: JsonPropertyName("pinned_until"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? PinnedUntil,
    [property: JsonPropertyName("blocked_until"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? BlockedUntil,
    [property: JsonPropertyName("coverage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Coverage,
    [property: JsonPropertyName("reasons")] IReadOnlyList<ReasonResponse> Reasons)
{
    /// <summary>How many reasons are shown.</summary>
    public const int TopReasons = 5;

    /// <summary>Maps a snapshot.</summary>
    public static EnforcementResponse From(RiskSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new(
            Math.Round(snapshot.Risk, 6), Name(snapshot.Level), snapshot.PinnedLevel is { } p ? Name(p) : null, snapshot.PinnedUntil,
            snapshot.BlockedUntil, snapshot.Coverage,
            [.. snapshot.Reasons.Take(TopReasons).Select(r => new ReasonResponse(r.Source, r.Score, r.Reason, r.At))]);
    }

    /// <summary><c>L0</c> … <c>L4</c>.</summary>
    public static string Name(EnforcementLevel level) => "L" + (int)level;
}

/// <summary>One reason behind a client's risk.</summary>
/// <param name="Source">Detector or <c>admin</c>.</param>
/// <param name="Score">Score it gave.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record ReasonResponse(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("at")] DateTimeOffset At);

/// <summary>Body of <c>PATCH /admin/clients/{id}</c>.</summary>
public sealed class UpdateClientRequest
{
    /// <summary>New policy (a configured policy name).</summary>
    [JsonPropertyName("policy")]
    public string? Policy { get; set; }
}

/// <summary>Body of <c>PUT /admin/clients/{id}/level</c>.</summary>
public sealed class SetLevelRequest
{
    /// <summary>Level 0–4 (or <c>"L0"</c> … <c>"L4"</c>); null clears the pin.</summary>
    [JsonPropertyName("level")]
    public System.Text.Json.JsonElement Level { get; set; }

    /// <summary>Why (required; written to the audit trail).</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    /// <summary>How long the pin lasts, in seconds; absent: until cleared.</summary>
    [JsonPropertyName("duration_seconds")]
    public double? DurationSeconds { get; set; }
}

/// <summary>Body of <c>PUT /admin/clients/{id}/risk</c>.</summary>
public sealed class SetRiskRequest
{
    /// <summary>Risk in [0, 1].</summary>
    [JsonPropertyName("risk")]
    public double? Risk { get; set; }

    /// <summary>Why (required; kept as the admin reason and audited on a level change).</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }
}

/// <summary>Body of <c>POST /admin/clients/{id}/unblock</c> (optional).</summary>
public sealed class UnblockRequest
{
    /// <summary>Why (audited).</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; set; }
}

/// <summary>One audit entry as the admin API shows it.</summary>
/// <param name="Id">Entry id.</param>
/// <param name="Client">Client id.</param>
/// <param name="From">Level before.</param>
/// <param name="To">Level after.</param>
/// <param name="Risk">Risk at the change.</param>
/// <param name="Actor">Who.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record AuditEntryResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("client")] string Client,
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("risk")] double Risk,
    [property: JsonPropertyName("actor")] string Actor,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("at")] DateTimeOffset At);
