using System.Text.Json.Serialization;

namespace GenSafety.Gateway.Admin;

/// <summary>Body of <c>POST /admin/clients</c>; every field is optional.</summary>
public sealed class CreateClientRequest
{
    /// <summary>Client id; generated when absent.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>Tenant; the configured default when absent.</summary>
    [JsonPropertyName("tenant")]
    public string? Tenant { get; set; }

    /// <summary>Policy; the configured default when absent.</summary>
    [JsonPropertyName("policy")]
    public string? Policy { get; set; }

    /// <summary>Label for operators.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }
}

/// <summary>A client as the admin API shows it.</summary>
/// <param name="Id">Client id.</param>
/// <param name="Tenant">Tenant.</param>
/// <param name="Policy">Policy.</param>
/// <param name="Name">Label.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="Usage">Usage counters (absent on creation).</param>
/// <param name="ApiKey">The key, present only in the creation response.</param>
public sealed record ClientResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("tenant")] string Tenant,
    [property: JsonPropertyName("policy")] string Policy,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UsageResponse? Usage,
    [property: JsonPropertyName("api_key"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ApiKey)
{
    /// <summary>The limits of the client's policy (shown by <c>GET</c>).</summary>
    [JsonPropertyName("limits"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PolicyLimitsResponse? Limits { get; init; }

    /// <summary>Risk, level and reasons (shown by <c>GET</c>).</summary>
    [JsonPropertyName("enforcement"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EnforcementResponse? Enforcement { get; init; }
}

/// <summary>Usage counters as the admin API shows them.</summary>
/// <param name="Requests">Requests.</param>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Completion tokens.</param>
/// <param name="LastSeen">Last request time.</param>
public sealed record UsageResponse(
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("last_seen")] DateTimeOffset? LastSeen);
