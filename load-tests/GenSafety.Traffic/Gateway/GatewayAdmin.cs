using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace GenSafety.Traffic.Gateway;

/// <summary>
/// The gateway's admin API as the generator uses it: create a client (and get its key), pin a client's level,
/// read a client's enforcement state after a run.
/// </summary>
public sealed class GatewayAdmin(HttpClient http, Uri adminUrl, string adminToken, string tenant)
{
    /// <summary>Creates client <paramref name="id"/> with <paramref name="policy"/> (null: the gateway's default) and returns its key.</summary>
    public async Task<string> CreateClientAsync(string id, string? policy, string name, CancellationToken cancellationToken)
    {
        var body = new Dictionary<string, string> { ["id"] = id, ["tenant"] = tenant, ["name"] = name };
        if (policy is not null)
        {
            body["policy"] = policy;
        }

        using var json = await SendAsync(HttpMethod.Post, "admin/clients", JsonContent.Create(body), cancellationToken);
        return json.RootElement.TryGetProperty("api_key", out var key) && key.GetString() is { Length: > 0 } apiKey
            ? apiKey
            : throw new GatewayAdminException($"POST /admin/clients gave no api_key for '{id}'.");
    }

    /// <summary>Pins <paramref name="id"/> to <paramref name="level"/> (<c>L0</c> … <c>L4</c>).</summary>
    public async Task PinLevelAsync(string id, string level, string reason, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync(HttpMethod.Put, $"admin/clients/{Uri.EscapeDataString(id)}/level?tenant={Uri.EscapeDataString(tenant)}",
            JsonContent.Create(new Dictionary<string, string> { ["level"] = level, ["reason"] = reason }), cancellationToken);
    }

    /// <summary>The client's enforcement state, or null when the gateway shows none.</summary>
    public async Task<ClientEnforcement?> GetEnforcementAsync(string id, CancellationToken cancellationToken)
    {
        using var json = await SendAsync(HttpMethod.Get, $"admin/clients/{Uri.EscapeDataString(id)}?tenant={Uri.EscapeDataString(tenant)}", null, cancellationToken);
        if (!json.RootElement.TryGetProperty("enforcement", out var enforcement) || enforcement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var reasons = enforcement.TryGetProperty("reasons", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [];
        return new ClientEnforcement(
            enforcement.GetProperty("risk").GetDouble(),
            enforcement.GetProperty("level").GetString() ?? "?",
            enforcement.TryGetProperty("coverage", out var coverage) && coverage.ValueKind == JsonValueKind.Number ? coverage.GetDouble() : null,
            [.. reasons.Select(r => Text(r, "source"))],
            [.. reasons.Select(r => $"{Text(r, "source")}: {Text(r, "reason")}")]);
    }

    private static string Text(JsonElement reason, string property)
        => reason.ValueKind == JsonValueKind.Object && reason.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : "?";

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(adminUrl, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new GatewayAdminException($"{method} /{path} answered HTTP {(int)response.StatusCode}: {(text.Length <= 300 ? text : text[..300])}");
        }

        return JsonDocument.Parse(text.Length == 0 ? "{}" : text);
    }
}

/// <summary>A client's enforcement state after a run.</summary>
/// <param name="Risk">Risk now.</param>
/// <param name="Level">Level now (<c>L0</c> … <c>L4</c>).</param>
/// <param name="Coverage">B4B coverage, when known.</param>
/// <param name="Reasons">Sources of the top reasons (detectors, <c>admin</c>).</param>
/// <param name="ReasonDetails">The same reasons as "source: why", for reading a run's records.</param>
public sealed record ClientEnforcement(double Risk, string Level, double? Coverage, IReadOnlyList<string> Reasons, IReadOnlyList<string> ReasonDetails);

/// <summary>An admin call failed.</summary>
public sealed class GatewayAdminException(string message) : Exception(message);
