using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;

using static GenSafety.Gateway.Tests.Enforcement.Ladder.LadderAdmin;

namespace GenSafety.Gateway.Tests.Enforcement.Ladder;

/// <summary>
/// Two gateway processes sharing one Redis, hammered concurrently (docs/enforcement.md, "Exactness"): requests are
/// exact; tokens never exceed the limit plus what refills during the run; concurrent streams never exceed the limit;
/// usage is reconciled with what the upstream reported.
/// </summary>
public sealed class TwoProcessExactnessTests : IClassFixture<SharedRedisFixture>
{
    private readonly SharedRedisFixture _redis;

    public TwoProcessExactnessTests(SharedRedisFixture redis) => _redis = redis;

    private async Task<(GatewayProcess First, GatewayProcess Second, string Key)> StartPairAsync(string upstreamUrl, string policy, params string[] limits)
    {
        string[] args = [$"--GenSafety:Redis:ConnectionString={_redis.EndPoint}", $"--GenSafety:Redis:KeyPrefix={SharedRedisFixture.NewKeyPrefix()}", .. limits];
        var started = await Task.WhenAll(GatewayProcess.StartAsync(upstreamUrl, args), GatewayProcess.StartAsync(upstreamUrl, args));
        var response = await started[0].Admin.PostAsJsonAsync("/admin/clients", new { id = "hammer", policy });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (started[0], started[1], json.RootElement.GetProperty("api_key").GetString()!);
    }

    [Fact]
    public async Task Requests_200ConcurrentAcrossTwoProcesses_AdmitTheLimit()
    {
        var (statuses, elapsed, _) = await BurstAsync("--GenSafety:Policies:hammer:RequestsPerMinute=50", maxTokens: 8);
        var refilled = (int)(elapsed.TotalSeconds / 1.2); // 50 per minute: one more every 1.2 s of the run

        var admitted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.InRange(admitted, 50, 50 + refilled);
        Assert.Equal(200 - admitted, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task Tokens_200ConcurrentAcrossTwoProcesses_NeverOverTheLimit_AndUsageIsReconciled()
    {
        var (statuses, elapsed, usage) = await BurstAsync("--GenSafety:Policies:hammer:TokensPerMinute=3000", maxTokens: 100);
        var admitted = statuses.Count(s => s == HttpStatusCode.OK);

        // Each admission reserves its input (counted by the gateway) + 100 output tokens; each settlement returns the
        // unused output (the upstream reports 5). What is finally charged — input + 5 per request — can never exceed
        // the limit plus what refilled during the run.
        var input = await InputTokensAsync();
        var refill = 3000 * elapsed.TotalMinutes;
        Assert.True(admitted > 0);
        Assert.True(admitted * (input + 5) <= 3000 + refill, $"{admitted} requests × {input + 5} tokens over 3000 + {refill:F0}");
        Assert.Equal(200 - admitted, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(admitted * 5, usage.GetProperty("output_tokens").GetInt64());
        Assert.Equal(admitted * 12, usage.GetProperty("input_tokens").GetInt64());
    }

    // 200 concurrent chat requests, alternating between two gateway processes, for a client of policy "hammer".
    private async Task<(HttpStatusCode[] Statuses, TimeSpan Elapsed, JsonElement Usage)> BurstAsync(string limit, int maxTokens)
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        var (first, second, key) = await StartPairAsync(upstream.Url, "hammer", limit);
        await using var a = first;
        await using var b = second;
        using var viaA = a.PublicWithKey(key);
        using var viaB = b.PublicWithKey(key);

        var watch = Stopwatch.StartNew();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
            (await (i % 2 == 0 ? viaA : viaB).PostAsync("/v1/chat/completions", ChatBody(maxTokens))).StatusCode));
        var elapsed = watch.Elapsed;
        return (statuses, elapsed, await UsageAsync(a, statuses.Count(s => s == HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Streams_ConcurrentAcrossTwoProcesses_NeverMoreThanTheLimitOpen_AndStreamedTokensAreRecorded()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        var (first, second, key) = await StartPairAsync(model.Url, "hammer", "--GenSafety:Policies:hammer:MaxConcurrentStreams=4", "--GenSafety:Policies:hammer:TokensPerMinute=1000000");
        await using var a = first;
        await using var b = second;
        using var viaA = a.PublicWithKey(key);
        using var viaB = b.PublicWithKey(key);

        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => StreamAsync(i % 2 == 0 ? viaA : viaB, watch)));
        var admitted = results.Where(r => r.Status == HttpStatusCode.OK).ToList();
        var firstEnd = admitted.Min(r => r.Ended);

        // Every stream lasts about a second: those admitted before the first one ended were all open at once.
        Assert.InRange(admitted.Count(r => r.HeadersAt < firstEnd), 1, 4);
        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, r.Status.ToString()));
        var usage = await UsageAsync(a, admitted.Count);
        Assert.Equal(admitted.Sum(r => r.CompletionTokens), usage.GetProperty("output_tokens").GetInt64());
    }

    private static async Task<(HttpStatusCode Status, TimeSpan HeadersAt, TimeSpan Ended, long CompletionTokens)> StreamAsync(HttpClient client, Stopwatch watch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(
                """{"model":"reference-ngram","stream":true,"stream_options":{"include_usage":true},"max_tokens":20,"logit_bias":{"100257":-100},"messages":[{"role":"user","content":"Tell me about the sea"}]}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-reference-token-delay-ms", "50");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var headersAt = watch.Elapsed;
        var body = await response.Content.ReadAsStringAsync();
        var usage = Regex.Match(body, "\"completion_tokens\":(\\d+)");
        return (response.StatusCode, headersAt, watch.Elapsed, usage.Success ? long.Parse(usage.Groups[1].Value) : 0);
    }

    // What the gateway charges for the prompt at admission: its own cl100k count.
    private static async Task<long> InputTokensAsync()
    {
        using var body = JsonDocument.Parse(await ChatBody(100).ReadAsStringAsync());
        return new PromptTokenCounter().Count(RouteKinds.ChatCompletions, body.RootElement);
    }

    private static async Task<JsonElement> UsageAsync(GatewayProcess gateway, int requests)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var detail = await gateway.Admin.GetFromJsonAsync<JsonElement>("/admin/clients/hammer");
            var usage = detail.GetProperty("usage");
            if (usage.GetProperty("requests").GetInt64() >= requests || watch.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.Equal(requests, usage.GetProperty("requests").GetInt64());
                return usage;
            }

            await Task.Delay(100);
        }
    }
}
