using System.Net;
using System.Text.Json;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;

namespace GenSafety.Gateway.Tests.Health;

/// <summary>A gateway on a private, real redis-server that the test stops and starts again.</summary>
public sealed class RedisReadinessTests
{
    [Fact]
    public async Task Readyz_RedisStopsAndReturns_TurnsUnreadyThenReadyAgain()
    {
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var upstream = await ScriptedUpstream.StartModelListAsync();
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, [$"--GenSafety:Redis:ConnectionString={redis.EndPoint}", "--GenSafety:Redis:OperationTimeout=00:00:00.500"]);
        var key = await gateway.CreateClientKeyAsync("redis-client");
        using var client = gateway.PublicWithKey(key);
        using var probe = new HttpClient { BaseAddress = new Uri(gateway.AdminUrl) };

        var ready = await probe.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("redis", await StateStoreKindAsync(ready));
        (await client.GetAsync("/v1/models")).EnsureSuccessStatusCode();

        await redis.StopAsync();
        var unready = await probe.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        // Fail-closed (the default): admission cannot read limits and levels, so even a cached key gets a clear 503.
        await ErrorAssert.IsOpenAIErrorAsync(await client.GetAsync("/v1/models"), HttpStatusCode.ServiceUnavailable, "state_store_unavailable");
        // An unknown key needs the store: a clear 503, not a hang or a 500.
        using (var stranger = gateway.PublicWithKey("gsk_unknownid_secret"))
        {
            await ErrorAssert.IsOpenAIErrorAsync(await stranger.GetAsync("/v1/models"), HttpStatusCode.ServiceUnavailable, "state_store_unavailable");
        }

        await ErrorAssert.IsOpenAIErrorAsync(await gateway.Admin.GetAsync("/admin/clients/redis-client"), HttpStatusCode.ServiceUnavailable, "state_store_unavailable");

        await redis.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpStatusCode status;
        while ((status = (await probe.GetAsync("/readyz")).StatusCode) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Clients_OnRedis_SurviveAcrossGatewayReplicas()
    {
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var upstream = await ScriptedUpstream.StartModelListAsync();
        string[] redisArgs = [$"--GenSafety:Redis:ConnectionString={redis.EndPoint}"];
        await using var first = await GatewayHost.StartAsync(upstream.Url, redisArgs);
        await using var second = await GatewayHost.StartAsync(upstream.Url, redisArgs);

        var key = await first.CreateClientKeyAsync("shared-client");
        using (var client = second.PublicWithKey(key))
        {
            (await client.GetAsync("/v1/models")).EnsureSuccessStatusCode();
        }

        var usage = await second.Admin.GetAsync("/admin/clients/shared-client");
        Assert.Equal(HttpStatusCode.OK, usage.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await second.Admin.DeleteAsync("/admin/clients/shared-client")).StatusCode);
        await ErrorAssert.IsOpenAIErrorAsync(await first.Admin.GetAsync("/admin/clients/shared-client"), HttpStatusCode.NotFound, "not_found");
    }

    private static async Task<string?> StateStoreKindAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("state_store").GetProperty("kind").GetString();
    }
}
