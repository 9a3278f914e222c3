using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using GenSafety.LoadTests.Processes;

namespace GenSafety.LoadTests.Orchestration;

/// <summary>The one admin call the load test needs: create a client and get its key.</summary>
internal static class GatewayAdminClient
{
    public static async Task<string> CreateClientAsync(HttpClient http, Uri adminUrl, string adminToken, string clientId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(adminUrl, "admin/clients"))
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["id"] = clientId, ["tenant"] = "default", ["policy"] = "default" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ChildProcessException($"gateway: POST /admin/clients answered HTTP {(int)response.StatusCode}: {Truncate(body)}");
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("api_key", out var key) && key.ValueKind == JsonValueKind.String && key.GetString() is { Length: > 0 } apiKey)
            {
                return apiKey;
            }
        }
        catch (JsonException)
        {
            // Reported below with the body.
        }

        throw new ChildProcessException($"gateway: POST /admin/clients gave no \"api_key\": {Truncate(body)}");
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "...";
}
