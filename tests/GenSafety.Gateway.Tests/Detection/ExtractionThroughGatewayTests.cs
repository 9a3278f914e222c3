using System.Collections.Concurrent;
using System.Net;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.AspNetCore.Http;
using static GenSafety.Gateway.Tests.Detection.DetectionGatewayHelpers;
using static GenSafety.Gateway.Tests.Enforcement.Ladder.LadderAdmin;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>
/// The extraction detectors' gateway side end to end on real Redis and Kestrel: a harvester climbs the ladder, a
/// client's deletion takes its detector state, the pre-bias-logprobs flag reaches the upstream, <c>/readyz</c> says
/// which tenants window MMD scores.
/// </summary>
public sealed class ExtractionThroughGatewayTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>
{
    private readonly string _prefix = SharedRedisFixture.NewKeyPrefix();

    private string[] Args(params string[] extra) => DetectionGatewayHelpers.Args(redis, _prefix, extra);

    private static string ChatJson(string user, int maxTokens, double temperature, string? system = null)
        => new System.Text.Json.Nodes.JsonObject
        {
            ["model"] = "m",
            ["max_tokens"] = maxTokens,
            ["temperature"] = temperature,
            ["messages"] = new System.Text.Json.Nodes.JsonArray(
                [.. (system is null ? [] : new[] { new System.Text.Json.Nodes.JsonObject { ["role"] = "system", ["content"] = system } }),
                 new System.Text.Json.Nodes.JsonObject { ["role"] = "user", ["content"] = user }]),
        }.ToJsonString();

    [Fact]
    public async Task SelfInstructHarvester_ClimbsTheLadderOnHarvesting_RagAppStaysL0()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args());
        using var harvester = gateway.PublicWithKey(await CreateClientAsync(gateway, "harvester"));
        using var rag = gateway.PublicWithKey(await CreateClientAsync(gateway, "support-bot"));
        var random = new Random(8);

        var refused = 0;
        for (var i = 0; i < 60 && refused == 0; i++)
        {
            var attack = await harvester.PostAsync("/v1/chat/completions", Json(ChatJson(ExtractionTestTraffic.Alpaca(random), 3072, 1.0)));
            refused += attack.StatusCode == HttpStatusCode.OK ? 0 : 1;
            var benign = await rag.PostAsync("/v1/chat/completions", Json(ChatJson(ExtractionTestTraffic.Question(random), 350, 0.2, ExtractionTestTraffic.AlpacaTemplate)));
            Assert.Equal(HttpStatusCode.OK, benign.StatusCode);
        }

        var detail = await WaitAsync(gateway, "harvester", d => Level(d) >= 2);
        var benignDetail = await GetAsync(gateway, "/admin/clients/support-bot");

        Assert.True(Level(detail) >= 2, detail.ToString());
        var reason = detail.GetProperty("enforcement").GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("source").GetString() == "harvesting");
        Assert.StartsWith("template harvesting", reason.GetProperty("reason").GetString());
        Assert.DoesNotContain("You are asked", reason.GetProperty("reason").GetString());
        Assert.Equal("L0", benignDetail.GetProperty("enforcement").GetProperty("level").GetString());
    }

    [Fact]
    public async Task DeletingAClient_DeletesItsDetectorStateAndActivity()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args());
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "leaving"));
        var lastSent = DateTimeOffset.UtcNow;
        for (var i = 0; i < 12; i++)
        {
            lastSent = DateTimeOffset.UtcNow;
            (await client.PostAsync("/v1/chat/completions", Json($$"""
                {"model":"m","max_tokens":1,"logprobs":true,"top_logprobs":5,"logit_bias":{"{{i}}":100},"messages":[{"role":"user","content":"Question {{i}} about the sea and its tides"}]}
                """))).EnsureSuccessStatusCode();
        }

        // The last batch records the client's activity as its final step: once the activity shows the last request,
        // no batch of this client is in flight that could write its state again after the delete.
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var pattern = $"{_prefix}:default:det:leaving:*";
        var activity = $"{_prefix}:default:sybil:active";
        for (var i = 0; i < 150 && !(await redis.Connection.GetDatabase().SortedSetScoreAsync(activity, "leaving") >= lastSent.ToUnixTimeMilliseconds()); i++)
        {
            await Task.Delay(100);
        }

        var before = server.Keys(pattern: pattern).Count();
        var active = await redis.Connection.GetDatabase().SortedSetScoreAsync(activity, "leaving");
        var delete = await gateway.Admin.DeleteAsync("/admin/clients/leaving");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.True(before >= 5, $"{before} detector keys before the delete");
        Assert.NotNull(active);
        Assert.Empty(server.Keys(pattern: pattern));
        Assert.Null(await redis.Connection.GetDatabase().SortedSetScoreAsync(activity, "leaving"));
    }

    [Fact]
    public async Task PreBiasLogprobsField_IsAddedUpstream_OnlyWithLogitBiasAndLogprobs()
    {
        var bodies = new ConcurrentQueue<string>();
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            bodies.Enqueue(await reader.ReadToEndAsync());
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Completion);
        });
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args(
            "--GenSafety:Detection:ApiSurface:PreBiasLogprobsField=logprobs_before_bias",
            "--GenSafety:Detection:ApiSurface:PreBiasLogprobsValue=true"));
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "prober"));

        var biased = await client.PostAsync("/v1/chat/completions", Json("""
            {"model":"m","max_tokens":1,"logprobs":true,"top_logprobs":5,"logit_bias":{"1734":100},"messages":[{"role":"user","content":"The"}]}
            """));
        var biasOnly = await client.PostAsync("/v1/chat/completions", Json("""{"model":"m","max_tokens":1,"logit_bias":{"1734":100},"messages":[{"role":"user","content":"The"}]}"""));

        var sent = bodies.ToArray();
        Assert.Equal(HttpStatusCode.OK, biased.StatusCode);
        Assert.Equal("pre_bias_logprobs", biased.Headers.GetValues("x-gensafety-degraded").Single());
        Assert.EndsWith(""","logprobs_before_bias":true}""", sent[0]);
        Assert.Contains("\"top_logprobs\":5", sent[0]);
        Assert.DoesNotContain("logprobs_before_bias", sent[1]);
        Assert.False(biasOnly.Headers.Contains("x-gensafety-degraded"));
    }

    [Fact]
    public async Task Readyz_WindowMmd_ActiveForTenantsWithAReferenceOnly()
    {
        var reference = RedisDetectionServices.WriteReference(streams: 6, perStream: 60, seed: 3);
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args($"--GenSafety:Detection:Detectors:window-mmd:Tenants:acme:ReferencePath={reference}"));

        var ready = await GetAsync(gateway, "/readyz");

        var detection = ready.GetProperty("detection");
        Assert.Equal(
            ["api-surface", "b4b-coverage", "prada", "near-duplicate", "harvesting", "window-mmd"],
            detection.GetProperty("detectors").EnumerateArray().Select(d => d.GetString()));
        var status = detection.GetProperty("detector_status").GetProperty("window-mmd");
        Assert.StartsWith("active: 360 reference prompts", status.GetProperty("acme").GetString());
        Assert.StartsWith("inactive", status.GetProperty("*").GetString());
    }
}
