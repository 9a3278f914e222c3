using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Net;
using System.Text.Json;
using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;
using static GenSafety.Gateway.Tests.Enforcement.Ladder.LadderAdmin;

namespace GenSafety.Gateway.Tests.Enforcement.Ladder;

/// <summary>
/// Redis stopped and restarted under a running gateway, in both failure modes, and the one-call admission
/// counted on the server with <c>INFO commandstats</c>. Each test owns a persistent Redis (its data survives the restart).
/// </summary>
public sealed class RedisOutageThroughGatewayTests
{
    private static string[] Args(RedisServerProcess redis, string failureMode) =>
    [
        $"--GenSafety:Redis:ConnectionString={redis.EndPoint}",
        "--GenSafety:Redis:OperationTimeout=00:00:01",
        $"--GenSafety:Redis:FailureMode={failureMode}",
        "--GenSafety:Enforcement:ReplicaCount=2",
        "--GenSafety:Policies:twenty:RequestsPerMinute=20",
        // These tests are about admission's own Redis traffic and timing; the detectors' background writes stay out.
        "--GenSafety:Detection:Enabled=false",
        "--GenSafety:Policies:twenty-thousand:RequestsPerMinute=20000",
        "--GenSafety:Policies:twenty-thousand:TokensPerMinute=2000000",
    ];

    [Fact]
    public async Task FailOpen_ServesOnHalfTheLimitDuringTheOutage_KeepsBlocks_ReportsDegraded_ThenReturnsToRedis()
    {
        await using var redis = await RedisServerProcess.StartNewAsync(persistent: true);
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args(redis, "open"));
        using var steady = gateway.PublicWithKey(await CreateClientAsync(gateway, "steady", "twenty"));
        using var banned = gateway.PublicWithKey(await CreateClientAsync(gateway, "banned"));
        await PutAsync(gateway, "/admin/clients/banned/level", new { level = 4, reason = "outage drill" });
        await ErrorAssert.IsOpenAIErrorAsync(await banned.PostAsync("/v1/chat/completions", ChatBody()), HttpStatusCode.Forbidden, "client_blocked");
        Assert.Equal(HttpStatusCode.OK, (await steady.PostAsync("/v1/chat/completions", ChatBody())).StatusCode);

        await redis.StopAsync();
        var during = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            during.Add((await steady.PostAsync("/v1/chat/completions", ChatBody())).StatusCode);
        }

        var ready = await gateway.Admin.GetAsync("/readyz");
        var metrics = await gateway.Admin.GetStringAsync("/metrics");
        await ErrorAssert.IsOpenAIErrorAsync(await banned.PostAsync("/v1/chat/completions", ChatBody()), HttpStatusCode.Forbidden, "client_blocked");

        // 20 per minute shared by 2 replicas: this replica admits 10 on its own while Redis is away.
        Assert.Equal(10, during.Count(s => s == HttpStatusCode.OK));
        Assert.All(during, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("degraded", await StatusAsync(ready));
        var failOpen = System.Text.RegularExpressions.Regex.Match(metrics, @"gensafety_admission_fail_open(?:_total)? (\d+)");
        Assert.True(failOpen.Success && long.Parse(failOpen.Groups[1].Value) >= 12, "fail-open decisions are counted");

        await redis.StartAsync();
        await WaitForAsync(async () => await StatusAsync(await gateway.Admin.GetAsync("/readyz")) == "ready");
        // Admission retries Redis at most once a second; until then the exhausted local share answers 429.
        HttpResponseMessage after = null!;
        await WaitForAsync(async () => (after = await steady.PostAsync("/v1/chat/completions", ChatBody())).StatusCode == HttpStatusCode.OK);
        // Back on the shared state: the limit counts what Redis saw (1 request before the outage), the block holds.
        Assert.Equal("18", after.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        await ErrorAssert.IsOpenAIErrorAsync(await banned.PostAsync("/v1/chat/completions", ChatBody()), HttpStatusCode.Forbidden, "client_blocked");
    }

    [Fact]
    public async Task FailClosed_Refuses503DuringTheOutage_ThenServesWithConsistentState()
    {
        await using var redis = await RedisServerProcess.StartNewAsync(persistent: true);
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args(redis, "closed"));
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "careful", "twenty"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/chat/completions", ChatBody())).StatusCode);
        }

        // Settlements follow the responses; the outage starts once the three are on Redis (a settlement in flight at
        // the moment Redis goes away is the ambiguous case, given up rather than risk counting it twice).
        await WaitForAsync(async () => (await GetAsync(gateway, "/admin/clients/careful")).GetProperty("usage").GetProperty("requests").GetInt64() == 3);
        await redis.StopAsync();
        var refused = await client.PostAsync("/v1/chat/completions", ChatBody());
        var ready = await gateway.Admin.GetAsync("/readyz");

        await ErrorAssert.IsOpenAIErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "state_store_unavailable");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);

        await redis.StartAsync();
        HttpResponseMessage back = null!;
        await WaitForAsync(async () => (back = await client.PostAsync("/v1/chat/completions", ChatBody())).StatusCode == HttpStatusCode.OK);
        // Nothing was charged for the refused request: 3 before + this one.
        Assert.Equal("16", back.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        JsonElement detail = default;
        await WaitForAsync(async () => (detail = await GetAsync(gateway, "/admin/clients/careful")).GetProperty("usage").GetProperty("requests").GetInt64() == 4);
        Assert.Equal(4 * 5, detail.GetProperty("usage").GetProperty("output_tokens").GetInt64());
    }

    [Fact]
    public async Task AStreamEndingDuringTheOutage_IsSettledWhenRedisReturns()
    {
        await using var redis = await RedisServerProcess.StartNewAsync(persistent: true);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(StreamChunk("The"));
            await context.Response.Body.FlushAsync();
            await finish.Task;
            await context.Response.WriteAsync(StreamChunk(" sea") + "data: [DONE]\n\n");
        });
        await using var gateway = await GatewayHost.StartAsync(
            upstream.Url, [.. Args(redis, "closed"), "--GenSafety:Policies:one-stream:MaxConcurrentStreams=1", "--GenSafety:Policies:one-stream:RequestsPerMinute=100"]);
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "streamer", "one-stream"));
        using var stream = await client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = StreamBody() }, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);

        // Admitted on Redis (holding the client's one stream slot); Redis goes away before the stream ends.
        await redis.StopAsync();
        finish.SetResult();
        Assert.Contains("[DONE]", await stream.Content.ReadAsStringAsync());
        await WaitForAsync(async () => SettlementFailures(await gateway.Admin.GetStringAsync("/metrics"), "retry") > 0);

        await redis.StartAsync();
        // The settlement waited for Redis: the stream's usage is counted and its slot released.
        JsonElement? usage = null;
        await WaitForAsync(async () => (usage = await UsageAsync(gateway, "streamer")) is { } u && u.GetProperty("requests").GetInt64() == 1);
        Assert.Equal(2, usage!.Value.GetProperty("output_tokens").GetInt64());
        using var next = await client.PostAsync("/v1/chat/completions", StreamBody());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(0, SettlementFailures(await gateway.Admin.GetStringAsync("/metrics"), "lost"));
    }

    [Fact]
    public async Task EachRequest_IsOneAdmissionCall_SettlementsAreBatchedAfterTheResponse_CountedOnTheServer()
    {
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        // Detection reads and writes its own state off the request path; this test counts admission's calls only.
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args(redis, "closed"));
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "counted", "twenty-thousand"));
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.EndPoint},allowAdmin=true");
        var server = admin.GetServers()[0];
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/chat/completions", ChatBody())).StatusCode); // caches the key, loads the scripts
        var usage = admin.GetDatabase();
        await WaitForUsageAsync(usage, 1);
        var admitSha = ScriptSha(AdmissionRedisScripts.Admit);
        var settleSha = ScriptSha(AdmissionRedisScripts.Settle);

        var before = await CallsAsync(server);
        const int Sequential = 15, Concurrent = 60;
        await using (var monitor = await RedisMonitor.StartAsync(redis.Port))
        {
            for (var i = 0; i < Sequential; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/chat/completions", ChatBody())).StatusCode);
            }

            var burst = await Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => client.PostAsync("/v1/chat/completions", ChatBody())));
            Assert.All(burst, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            await WaitForUsageAsync(usage, 1 + Sequential + Concurrent);
            await Task.Delay(200);

            // What the gateway sent, as the server saw it (the test's own INFO and HGET polling aside): EVALSHA only;
            // exactly one admission per request; settlements after the responses, at most one call per request
            // (batched under load).
            var sent = monitor.ClientCommands().Where(c => c.Name != "info" && !(c.Name == "hget" && c.FirstArgument == UsageKey)).ToList();
            Assert.All(sent, c => Assert.Equal("evalsha", c.Name));
            Assert.Equal(Sequential + Concurrent, sent.Count(c => c.FirstArgument == admitSha));
            var settlements = sent.Count(c => c.FirstArgument == settleSha);
            Assert.InRange(settlements, 1, Sequential + Concurrent);
            Assert.Equal(sent.Count, Sequential + Concurrent + settlements);
            // INFO commandstats agrees: it counts each script call once (and the commands inside scripts separately).
            var after = await CallsAsync(server);
            Assert.Equal(sent.Count, after.GetValueOrDefault("evalsha") - before.GetValueOrDefault("evalsha"));
        }
    }

    // Redis names scripts by the SHA1 of their text (EVALSHA); no security role here.
#pragma warning disable CA5350
    private static string ScriptSha(string script) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(script)));
#pragma warning restore CA5350

    private static string StreamChunk(string word)
        => $"data: {{\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{word}\"}}}}]}}\n\n";

    private static StringContent StreamBody() => new(
        """{"model":"m","stream":true,"max_tokens":8,"messages":[{"role":"user","content":"Tell me about the sea"}]}""", Encoding.UTF8, "application/json");

    // The client's usage, or null while the admin API cannot reach Redis yet.
    private static async Task<JsonElement?> UsageAsync(GatewayHost gateway, string client)
    {
        using var response = await gateway.Admin.GetAsync($"/admin/clients/{client}");
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("usage").Clone()
            : null;
    }

    private static long SettlementFailures(string metrics, string outcome)
    {
        var match = System.Text.RegularExpressions.Regex.Match(
            metrics, "gensafety_admission_settlement_failures(?:_total)?\\{[^}]*outcome=\"" + outcome + "\"[^}]*\\} (\\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value) : 0;
    }

    private const string UsageKey = "gs:default:usage:counted";

    private static Task WaitForUsageAsync(IDatabase redis, long requests)
        => WaitForAsync(async () => (long?)await redis.HashGetAsync(UsageKey, "requests") == requests);

    private static async Task<Dictionary<string, long>> CallsAsync(IServer server)
    {
        var info = await server.InfoAsync("commandstats");
        return info.SelectMany(g => g).ToDictionary(
            e => e.Key.Replace("cmdstat_", "", StringComparison.Ordinal),
            e => long.Parse(e.Value.Split(',')[0].Split('=')[1]));
    }

    private static async Task<string> StatusAsync(HttpResponseMessage readiness)
    {
        using var json = JsonDocument.Parse(await readiness.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("status").GetString()!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "condition not met within 20 s");
            await Task.Delay(100);
        }
    }
}
