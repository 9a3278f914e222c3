using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.AspNetCore.Http;

namespace GenSafety.Gateway.Tests.Enforcement.Admission;

/// <summary>Policies enforced on the real request path, in front of a fixed-answer upstream.</summary>
public sealed class AdmissionThroughGatewayTests
{
    private const string Completion = """{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}""";

    private static readonly string[] Policies =
    [
        "--GenSafety:Policies:three-per-minute:RequestsPerMinute=3",
        "--GenSafety:Policies:two-hundred-tokens:TokensPerMinute=200",
        "--GenSafety:Policies:fifty-per-minute:RequestsPerMinute=50",
    ];

    private static StringContent Chat(int maxTokens) => new(
        $$"""{"model":"m","max_tokens":{{maxTokens}},"messages":[{"role":"user","content":"Tell me about the sea"}]}""", Encoding.UTF8, "application/json");

    private static async Task<string> CreateClientAsync(GatewayHost gateway, string id, string policy)
    {
        var response = await gateway.Admin.PostAsJsonAsync("/admin/clients", new { id, policy });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("api_key").GetString()!;
    }

    [Fact]
    public async Task Requests_OverPolicyLimit_Get429WithRetryAfterAndRateLimitHeaders()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Policies);
        using var limited = gateway.PublicWithKey(await CreateClientAsync(gateway, "limited", "three-per-minute"));
        using var unlimited = gateway.PublicWithKey(await CreateClientAsync(gateway, "unlimited", "default"));

        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var ok = await limited.PostAsync("/v1/chat/completions", Chat(8));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("3", ok.Headers.GetValues("x-ratelimit-limit-requests").Single());
            remaining.Add(ok.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        }

        var rejected = await limited.PostAsync("/v1/chat/completions", Chat(8));

        Assert.Equal(["2", "1", "0"], remaining);
        await ErrorAssert.IsOpenAIErrorAsync(rejected, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.InRange(int.Parse(rejected.Headers.GetValues("retry-after").Single()), 1, 60);
        Assert.Equal("0", rejected.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.Equal(HttpStatusCode.OK, (await unlimited.PostAsync("/v1/chat/completions", Chat(8))).StatusCode);
    }

    [Fact]
    public async Task Tokens_ReservedFromMaxTokens_AndUnusedOutputIsReturned()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Policies);
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "tokens", "two-hundred-tokens"));

        // ~15 input tokens + 150 reserved: fits in 200. The upstream reports 5 output tokens, so 145 come back.
        var first = await client.PostAsync("/v1/chat/completions", Chat(150));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("200", first.Headers.GetValues("x-ratelimit-limit-tokens").Single());

        // Reconciliation happens after the response; give it a moment, then the same request fits again.
        HttpResponseMessage second = null!;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            second = await client.PostAsync("/v1/chat/completions", Chat(150));
            if (second.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        // Now ~40 tokens are charged: another 190-token reservation cannot fit.
        var third = await client.PostAsync("/v1/chat/completions", Chat(190));
        var error = await ErrorAssert.IsOpenAIErrorAsync(third, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Contains("tokens", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Tokens_Stream_ChargedForWhatWasStreamed()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var word in new[] { "The", " sea", " is" })
            {
                await context.Response.WriteAsync($"data: {{\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{word}\"}}}}]}}\n\n");
            }

            await context.Response.WriteAsync("data: [DONE]\n\n");
        });
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Policies);
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "streamer", "two-hundred-tokens"));
        static StringContent Stream(int maxTokens) => new(
            $$"""{"model":"m","stream":true,"max_tokens":{{maxTokens}},"messages":[{"role":"user","content":"Tell me about the sea"}]}""", Encoding.UTF8, "application/json");

        var first = await client.PostAsync("/v1/chat/completions", Stream(150));
        Assert.Contains("[DONE]", await first.Content.ReadAsStringAsync());

        // Three content chunks were streamed, so 147 of the 150 reserved tokens come back and the same request fits.
        HttpResponseMessage second = null!;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            second = await client.PostAsync("/v1/chat/completions", Stream(150));
            if (second.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Requests_TwoReplicasOnOneRedis_AdmitExactlyTheLimit()
    {
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        // Detection off: 200 identical prompts from one key are an extraction pattern the detectors would block.
        string[] args = [.. Policies, $"--GenSafety:Redis:ConnectionString={redis.EndPoint}", "--GenSafety:Detection:Enabled=false"];
        await using var first = await GatewayHost.StartAsync(upstream.Url, args);
        await using var second = await GatewayHost.StartAsync(upstream.Url, args);
        var key = await CreateClientAsync(first, "shared", "fifty-per-minute");
        using var viaFirst = first.PublicWithKey(key);
        using var viaSecond = second.PublicWithKey(key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            (i % 2 == 0 ? viaFirst : viaSecond).PostAsync("/v1/chat/completions", Chat(8))));

        // Every answer is a 200 or a 429; the message lists the statuses when that fails.
        var statuses = string.Join(", ", responses.GroupBy(r => (int)r.StatusCode).Select(g => $"{g.Key} × {g.Count()}"));
        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.OK) == 50, statuses);
        Assert.True(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests) == 150, statuses);
    }
}
