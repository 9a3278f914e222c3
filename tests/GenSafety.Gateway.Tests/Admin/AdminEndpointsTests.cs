using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Tests.TestHosts;

namespace GenSafety.Gateway.Tests.Admin;

[Collection(GatewayTestGroup.Name)]
public sealed class AdminEndpointsTests
{
    private readonly GatewayFixture _fixture;

    public AdminEndpointsTests(GatewayFixture fixture) => _fixture = fixture;

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token-wrong-token")]
    [InlineData("test-admin-token-012345678")]
    public async Task AdminApi_WithoutValidToken_Returns401(string? token)
    {
        using var client = new HttpClient { BaseAddress = new Uri(_fixture.Gateway.AdminUrl) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var create = await client.PostAsJsonAsync("/admin/clients", new { id = "should-not-exist" });
        var get = await client.GetAsync("/admin/clients/e2e-client");
        var delete = await client.DeleteAsync("/admin/clients/e2e-client");

        await ErrorAssert.IsOpenAIErrorAsync(create, HttpStatusCode.Unauthorized, "invalid_admin_token");
        await ErrorAssert.IsOpenAIErrorAsync(get, HttpStatusCode.Unauthorized, "invalid_admin_token");
        await ErrorAssert.IsOpenAIErrorAsync(delete, HttpStatusCode.Unauthorized, "invalid_admin_token");
    }

    [Fact]
    public async Task Clients_CreateGetDelete_RoundTrip()
    {
        var admin = _fixture.Gateway.Admin;

        var created = await admin.PostAsJsonAsync("/admin/clients", new { id = "round-trip", tenant = "acme", policy = "gold", name = "Round trip" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var createdJson = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var key = createdJson.RootElement.GetProperty("api_key").GetString()!;
        Assert.StartsWith("gsk_", key);
        Assert.Equal("acme", createdJson.RootElement.GetProperty("tenant").GetString());

        using (var client = _fixture.Gateway.PublicWithKey(key))
        {
            (await client.GetAsync("/v1/models")).EnsureSuccessStatusCode();
        }

        var fetched = await admin.GetAsync("/admin/clients/round-trip?tenant=acme");
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        using var fetchedJson = JsonDocument.Parse(await fetched.Content.ReadAsStringAsync());
        Assert.Equal("gold", fetchedJson.RootElement.GetProperty("policy").GetString());
        Assert.False(fetchedJson.RootElement.TryGetProperty("api_key", out _), "the key is shown only once");
        await WaitForAsync(async () =>
        {
            using var json = JsonDocument.Parse(await (await admin.GetAsync("/admin/clients/round-trip?tenant=acme")).Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("usage").GetProperty("requests").GetInt64() >= 1;
        });

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/admin/clients/round-trip?tenant=acme")).StatusCode);
        await ErrorAssert.IsOpenAIErrorAsync(await admin.GetAsync("/admin/clients/round-trip?tenant=acme"), HttpStatusCode.NotFound, "not_found");
        await ErrorAssert.IsOpenAIErrorAsync(await admin.DeleteAsync("/admin/clients/round-trip?tenant=acme"), HttpStatusCode.NotFound, "not_found");
        using (var client = _fixture.Gateway.PublicWithKey(key))
        {
            await ErrorAssert.IsOpenAIErrorAsync(await client.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "invalid_api_key");
        }
    }

    [Fact]
    public async Task Clients_CreateTwice_Returns409()
    {
        var admin = _fixture.Gateway.Admin;
        (await admin.PostAsJsonAsync("/admin/clients", new { id = "twice" })).EnsureSuccessStatusCode();

        var second = await admin.PostAsJsonAsync("/admin/clients", new { id = "twice" });

        await ErrorAssert.IsOpenAIErrorAsync(second, HttpStatusCode.Conflict, "conflict");
    }

    [Theory]
    [InlineData("{\"id\":\"has space\"}")]
    [InlineData("{\"id\":5}")]
    [InlineData("{not json")]
    [InlineData("{\"tenant\":\"a/b\"}")]
    public async Task Clients_CreateWithBadBody_Returns400(string body)
    {
        var response = await _fixture.Gateway.Admin.PostAsync("/admin/clients", new StringContent(body, Encoding.UTF8, "application/json"));

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Clients_CreateWithoutBody_GeneratesId()
    {
        var response = await _fixture.Gateway.Admin.PostAsync("/admin/clients", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("client-", json.RootElement.GetProperty("id").GetString());
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }
}
