using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GenSafety.Gateway.Tests.TestHosts;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// Verification is admitted like any request: it counts against the client's request limit (429 past it, with the
/// rate-limit headers) and a blocked client is refused (403), while the answers themselves stay the same.
/// </summary>
public sealed class VerificationAdmissionTests
{
    private static readonly string[] Policies = ["--GenSafety:Policies:two-per-minute:RequestsPerMinute=2"];

    [Fact]
    public async Task VerifyText_CountsAgainstTheRequestLimit()
    {
        await using var gateway = await GatewayHost.StartAsync("http://127.0.0.1:9/", Args(null, null, Policies));
        using var client = gateway.PublicWithKey(await CreateAsync(gateway, "verifier", "two-per-minute"));

        var first = await client.PostAsJsonAsync("/v1/verify/text", new { text = "Some text to check." });
        var second = await client.PostAsJsonAsync("/v1/verify/text", new { text = "Another text to check." });
        var third = await client.PostAsJsonAsync("/v1/verify/text", new { text = "One text too many." });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("not_produced", JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("verdict").GetString());
        Assert.True(first.Headers.Contains("x-ratelimit-remaining-requests"), string.Join(", ", first.Headers.Select(h => h.Key)));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var error = await ErrorAssert.IsOpenAIErrorAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("Rate limit", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task VerifyText_BlockedClient_Refused()
    {
        await using var gateway = await GatewayHost.StartAsync("http://127.0.0.1:9/", Args(null, null));
        using var client = gateway.PublicWithKey(await CreateAsync(gateway, "blocked-verifier", "default"));
        var pinned = await gateway.Admin.PutAsJsonAsync("/admin/clients/blocked-verifier/level", new { level = 4, reason = "drill" });
        pinned.EnsureSuccessStatusCode();

        var response = await client.PostAsJsonAsync("/v1/verify/text", new { text = "Some text to check." });

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.Forbidden, "client_blocked");
    }

    private static async Task<string> CreateAsync(GatewayHost gateway, string id, string policy)
    {
        var response = await gateway.Admin.PostAsJsonAsync("/admin/clients", new { id, policy });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("api_key").GetString()!;
    }
}
