using System.Net;
using System.Text.Json;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using static GenSafety.Gateway.Tests.Detection.DetectionGatewayHelpers;
using static GenSafety.Gateway.Tests.Enforcement.Ladder.LadderAdmin;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>
/// The detectors end to end on real Redis against the reference model: a logit-extraction client climbs the ladder
/// on <c>api-surface</c>'s word while a classifier using a fixed <c>logit_bias</c> stays at L0; embeddings coverage
/// reaches the enforcement state; the shaping mitigation; <c>/readyz</c>.
/// </summary>
public sealed class ApiSurfaceThroughGatewayTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>
{
    private readonly string _prefix = SharedRedisFixture.NewKeyPrefix();

    private string[] Args(params string[] extra) => DetectionGatewayHelpers.Args(redis, _prefix, extra);

    private static string Chat(string prompt, string bias, int topLogprobs)
        => $$"""{"model":"reference-ngram","messages":[{"role":"user","content":"{{prompt}}"}],"max_tokens":1,"temperature":0,"logprobs":true,"top_logprobs":{{topLogprobs}},"logit_bias":"""
            + "{" + bias + "}}";

    // A classifier app labels different reviews (the same review sent again and again would be a near-duplicate
    // flood, which the near-duplicate detector rightly flags).
    private static string Review(int i)
    {
        string[] products = ["The blender", "This kettle", "My new phone case", "The hiking boots", "This desk lamp", "The garden hose", "These headphones"];
        string[] verdicts = ["arrived on time and", "broke after a week, and", "looks cheap but", "is exactly as described;", "was a gift that"];
        string[] details = ["the motor is quiet", "customer support never answered", "the colour faded in the sun", "it charges in an hour",
            "the stitching came loose", "my kids love it", "the manual is useless", "it fits perfectly", "shipping took a month",
            "it smells of plastic", "I would buy it again"];
        return $"{products[i % products.Length]} {verdicts[i / products.Length % verdicts.Length]} {details[i * 3 % details.Length]}.";
    }

    [Fact]
    public async Task LogitExtraction_RaisesRiskThroughApiSurface_UpTheLadder_BenignClassifierStaysL0()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args());
        using var extractor = gateway.PublicWithKey(await CreateClientAsync(gateway, "extractor"));
        using var classifier = gateway.PublicWithKey(await CreateClientAsync(gateway, "classifier"));

        // Carlini et al.: a few prompts asked again and again with +100 on a new block of token ids, top-20 logprobs,
        // one token; interleaved with a classifier that always biases the same two label tokens.
        var refused = 0;
        for (var i = 0; i < 150 && refused == 0; i++)
        {
            var block = string.Join(',', Enumerable.Range(1000 + (20 * i), 20).Select(t => $"\"{t}\":100"));
            var attack = await extractor.PostAsync("/v1/chat/completions", Json(Chat($"Prompt {i % 5}: The", block, 20)));
            refused += attack.StatusCode == HttpStatusCode.OK ? 0 : 1;
            var benign = await classifier.PostAsync("/v1/chat/completions", Json(Chat($"Review: {Review(i)} Sentiment:", "\"13022\":100,\"3160\":-100", 2)));
            Assert.Equal(HttpStatusCode.OK, benign.StatusCode);
        }

        var detail = await WaitAsync(gateway, "extractor", d => Level(d) >= 2);
        var audit = await GetAsync(gateway, "/admin/audit?client=extractor");
        var benignDetail = await GetAsync(gateway, "/admin/clients/classifier");

        Assert.True(Level(detail) >= 2, detail.ToString());
        var reason = detail.GetProperty("enforcement").GetProperty("reasons").EnumerateArray().Single(r => r.GetProperty("source").GetString() == "api-surface");
        Assert.True(reason.GetProperty("score").GetDouble() >= 0.5, reason.ToString());
        Assert.Contains("logit_bias 100%", reason.GetProperty("reason").GetString());
        // The level change is audited with api-surface's word: its own write, or fusion's when another detector
        // (near-duplicate on the repeated prompts) scored in the same batch.
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("to").GetString() != "L0"
            && (e.GetProperty("actor").GetString() == "api-surface" || e.GetProperty("reason").GetString()!.Contains("api-surface", StringComparison.Ordinal)));
        Assert.Equal("L0", benignDetail.GetProperty("enforcement").GetProperty("level").GetString());
        Assert.DoesNotContain(benignDetail.GetProperty("enforcement").GetProperty("reasons").EnumerateArray(), r => r.GetProperty("source").GetString() == "api-surface");

        // Detector state per client is bounded: api-surface (7.5 KB), the B4B topic bitmaps (20 KB), and PRADA,
        // near-duplicate and harvesting on the prompts (window MMD has no reference here).
        var db = redis.Connection.GetDatabase();
        var keys = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]).Keys(pattern: $"{_prefix}:default:det:extractor:*").ToList();
        var bytes = 0L;
        foreach (var key in keys)
        {
            bytes += (long)await db.ExecuteAsync("MEMORY", "USAGE", key);
            Assert.True((await db.KeyTimeToLiveAsync(key)) > TimeSpan.FromHours(23));
        }

        Assert.Equal(5, keys.Count);
        Assert.InRange(bytes, 20_000, 64 * 1024);
    }

    [Fact]
    public async Task Embeddings_B4BCoverageIsWrittenToTheClientsEnforcementState()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args());
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "encoder-user"));
        string[] topics = ["volcanoes", "tax law", "knitting", "jazz", "orbital mechanics", "sourdough", "chess openings", "tide pools"];

        for (var i = 0; i < 6; i++)
        {
            var inputs = string.Join(',', topics.Select(t => $"\"notes {i} on {t}\""));
            (await client.PostAsync("/v1/embeddings", Json($$"""{"model":"reference-minilm","input":[{{inputs}}],"encoding_format":"base64"}"""))).EnsureSuccessStatusCode();
        }

        var detail = await WaitAsync(gateway, "encoder-user", d => d.GetProperty("enforcement").TryGetProperty("coverage", out _));
        var coverage = detail.GetProperty("enforcement").GetProperty("coverage").GetDouble();

        // 48 vectors: at most 48 of the 4096 buckets of each projection (1.2 %), at least one.
        Assert.InRange(coverage, 1.0 / 4096, 48.0 / 4096);
        Assert.True(await redis.Connection.GetDatabase().StringBitCountAsync($"{_prefix}:default:det:encoder-user:b4b-coverage") > 20);
    }

    [Fact]
    public async Task DropTopLogprobsWithLogitBias_RemovesAlternativesOnlyWhenBiased()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args("--GenSafety:Detection:ApiSurface:DropTopLogprobsWithLogitBias=true"));
        using var client = gateway.PublicWithKey(await CreateClientAsync(gateway, "prober"));

        var biased = await client.PostAsync("/v1/chat/completions", Json(Chat("The", "\"1734\":100", 5)));
        var plain = await client.PostAsync("/v1/chat/completions", Json(Chat("The", "", 5)));

        Assert.Equal(HttpStatusCode.OK, biased.StatusCode);
        Assert.Equal("top_logprobs_dropped", biased.Headers.GetValues("x-gensafety-degraded").Single());
        Assert.Equal(0, TopLogprobs(await biased.Content.ReadAsStringAsync()));
        Assert.False(plain.Headers.Contains("x-gensafety-degraded"));
        Assert.Equal(5, TopLogprobs(await plain.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Readyz_ShowsDetectorsEmbeddersAndMiniLmsExecutionProvider()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(Completion);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args("--GenSafety:Detection:Tenants:acme:Embedder=minilm"));

        var ready = await GetAsync(gateway, "/readyz");

        var detection = ready.GetProperty("detection");
        Assert.True(detection.GetProperty("enabled").GetBoolean());
        Assert.Equal(
            ["api-surface", "b4b-coverage", "prada", "near-duplicate", "harvesting", "window-mmd"],
            detection.GetProperty("detectors").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("hashing", detection.GetProperty("embedder").GetString());
        Assert.Equal("minilm", detection.GetProperty("tenant_embedders").GetProperty("acme").GetString());
        Assert.Contains(detection.GetProperty("execution_provider").GetString(), new[] { "CPU", "CUDA" });
    }

    private static int TopLogprobs(string response)
    {
        using var json = JsonDocument.Parse(response);
        return json.RootElement.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content")[0].GetProperty("top_logprobs").GetArrayLength();
    }
}
