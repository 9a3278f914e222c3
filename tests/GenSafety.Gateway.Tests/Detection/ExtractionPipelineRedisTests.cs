using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Detection.Sybil;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;
using static GenSafety.Gateway.Tests.Detection.ExtractionTestTraffic;
using static GenSafety.Gateway.Tests.Detection.RedisDetectionServices;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>
/// The extraction detectors and sybil linking through the batch processor on real Redis: state bounds, risk reaching
/// the enforcement state, clusters spreading risk.
/// </summary>
public sealed class ExtractionPipelineRedisTests(SharedRedisFixture redis, ITestOutputHelper output) : IClassFixture<SharedRedisFixture>
{
    [Fact]
    public async Task DetectorState_EveryDetectorAtItsLargest_FitsIn64KiBPerClient()
    {
        var reference = WriteReference(streams: 8, perStream: 60, seed: 1);
        await using var services = new RedisDetectionServices(redis, ("GenSafety:Detection:Detectors:window-mmd:Tenants:t1:ReferencePath", reference));
        await services.LoadReferencesAsync();
        var random = new Random(2);
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);

        // 560 requests that touch every detector: logit_bias with logprobs (api-surface's 512-request window), long
        // varied prompts (PRADA's growing set and distances, near-duplicate history, harvesting window, MMD window,
        // B4B topic bitmap), and embeddings with returned vectors (B4B's embedding bitmap).
        var observations = new List<QueryObservation>();
        for (var i = 0; i < 560; i++)
        {
            var at = start.AddSeconds(3 * i);
            observations.Add(i % 10 == 9
                ? EmbeddingsObservation("c1", at, Question(random), [.. Enumerable.Range(0, 384).Select(_ => (float)((random.NextDouble() * 2) - 1))])
                : ChatObservation("c1", at, $"{Alpaca(random)} {i}", maxTokens: 1 + (i % 3000), temperature: 0.7,
                    logitBias: $$"""{"{{i}}":100,"{{i + 7000}}":-100}""", topLogprobs: 5));
        }

        await services.ProcessAsync(observations);
        var (keys, bytes) = await services.StateAsync("t1", "c1");
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            var db = redis.Connection.GetDatabase();
            output.WriteLine($"{key[(key.LastIndexOf(':') + 1)..]}: STRLEN {await db.StringLengthAsync(key)}, MEMORY USAGE {await db.ExecuteAsync("MEMORY", "USAGE", key)}");
        }

        output.WriteLine($"sum of MEMORY USAGE: {bytes}");

        Assert.Equal(
            ["api-surface", "b4b-coverage", "harvesting", "near-duplicate", "prada", "window-mmd"],
            keys.Select(k => k[(k.LastIndexOf(':') + 1)..]).Order(StringComparer.Ordinal));
        Assert.InRange(bytes, 50_000, 64 * 1024);
    }

    [Fact]
    public async Task Harvester_ReachesL2_RagAppAndChatUserStayL0()
    {
        await using var services = new RedisDetectionServices(redis);
        var random = new Random(4);
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var observations = new List<QueryObservation>();
        for (var i = 0; i < 60; i++)
        {
            var at = start.AddSeconds(6 * i);
            observations.Add(ChatObservation("harvester", at, Alpaca(random), maxTokens: 3072, temperature: 1.0));
            observations.Add(ChatObservation("rag", at, Question(random), system: AlpacaTemplate, maxTokens: 350, temperature: 0.2));
            observations.Add(ChatObservation("person", at.AddSeconds(2), Question(random), maxTokens: 1024, temperature: 1.0));
        }

        await services.ProcessAsync(observations, batchSize: 30);
        var harvester = await services.Risk.GetAsync("t1", "harvester", default);
        var rag = await services.Risk.GetAsync("t1", "rag", default);
        var person = await services.Risk.GetAsync("t1", "person", default);

        Assert.True(harvester.Level >= EnforcementLevel.Degrade, $"{harvester.Risk}: {string.Join(" | ", harvester.Reasons.Select(r => r.Reason))}");
        Assert.Contains(harvester.Reasons, r => r.Source == "harvesting" && r.Score >= 0.5);
        Assert.Equal(EnforcementLevel.Allow, rag.Level);
        Assert.Equal(EnforcementLevel.Allow, person.Level);
        Assert.True(rag.Risk < 0.3 && person.Risk < 0.3, $"rag {rag.Risk}, person {person.Risk}");
    }

    [Fact]
    public async Task SybilLinking_SynchronousTemplateSybils_FormOneCluster_CleanMemberInheritsRisk_BenignClientsStayApart()
    {
        await using var services = new RedisDetectionServices(redis);
        var random = new Random(6);
        var start = DateTimeOffset.UtcNow.AddMinutes(-15);
        string[] sybils = ["s-loud", "s-quiet-1", "s-quiet-2", "s-quiet-3"];
        var observations = new List<QueryObservation>();
        for (var minute = 0; minute < 12; minute++)
        {
            // The campaign's scheduler runs every key in the same minutes, more in some than in others.
            var burst = 1 + (minute % 3);
            for (var k = 0; k < burst; k++)
            {
                var at = start.AddMinutes(minute).AddSeconds(5 * k);
                foreach (var sybil in sybils)
                {
                    // Only the loud key asks for long, hot outputs; the quiet ones look like a template app alone.
                    observations.Add(sybil == "s-loud"
                        ? ChatObservation(sybil, at, Alpaca(random), maxTokens: 3072, temperature: 1.0, network: "203.0.113.0/24")
                        : ChatObservation(sybil, at, Alpaca(random), maxTokens: 200, temperature: 0.2, network: "203.0.113.0/24"));
                }
            }

            // Benign clients in the same minutes: a RAG app (template in the system message) and a person.
            observations.Add(ChatObservation("rag", start.AddMinutes(minute).AddSeconds(20), Question(random), system: AlpacaTemplate, maxTokens: 350, temperature: 0.2, network: "203.0.113.0/24"));
            if (minute % 2 == 0)
            {
                observations.Add(ChatObservation("person", start.AddMinutes(minute).AddSeconds(40), Question(random), maxTokens: 512, temperature: 0.7, network: "192.0.2.0/24"));
            }
        }

        await services.ProcessAsync([.. observations.OrderBy(o => o.At)], batchSize: 16);
        var quietBefore = await services.Risk.GetAsync("t1", "s-quiet-1", default);
        var clusters = await services.Linker.LinkAsync("t1", default);
        var loud = await services.Risk.GetAsync("t1", "s-loud", default);
        var quiet = await services.Risk.GetAsync("t1", "s-quiet-1", default);
        var rag = await services.Risk.GetAsync("t1", "rag", default);
        var person = await services.Risk.GetAsync("t1", "person", default);

        var cluster = Assert.Single(clusters);
        Assert.Equal(sybils.Order(StringComparer.Ordinal), cluster.Members.Order(StringComparer.Ordinal));
        Assert.True(quietBefore.Risk < 0.3, $"the quiet sybil alone: {quietBefore.Risk}");
        Assert.True(loud.Risk >= 0.5, $"loud {loud.Risk}");
        Assert.True(quiet.Risk >= loud.Risk - 0.02, $"quiet {quiet.Risk}, loud {loud.Risk}");
        var reason = Assert.Single(quiet.Reasons, r => r.Source == SybilLinkingOptions.Source);
        Assert.Contains("cluster of 4 clients", reason.Reason);
        Assert.DoesNotContain("s-loud", reason.Reason);
        Assert.DoesNotContain(rag.Reasons, r => r.Source == SybilLinkingOptions.Source);
        Assert.DoesNotContain(person.Reasons, r => r.Source == SybilLinkingOptions.Source);
        Assert.True(rag.Risk < 0.3 && person.Risk < 0.3, $"rag {rag.Risk}, person {person.Risk}");
    }

    [Fact]
    public async Task SybilActivity_IsBoundedPerTenant_AndDeletedWithTheClient()
    {
        await using var services = new RedisDetectionServices(redis, ("GenSafety:Detection:SybilLinking:MaxClients", "3"));
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);

        await services.ProcessAsync([.. Enumerable.Range(0, 5).Select(i => ChatObservation($"c{i}", start.AddSeconds(i), "hello there, how are you"))]);
        var store = (ISybilActivityStore)services.Services.GetService(typeof(ISybilActivityStore))!;
        var before = await store.ReadActiveAsync("t1", start.AddMinutes(-1), 10, default);
        var cleanup = (DetectionClientCleanup)services.Services.GetService(typeof(DetectionClientCleanup))!;
        await cleanup.DeleteAsync("t1", "c4", default);
        var after = await store.ReadActiveAsync("t1", start.AddMinutes(-1), 10, default);
        var (keys, _) = await services.StateAsync("t1", "c4");

        Assert.Equal(["c4", "c3", "c2"], before.Select(c => c.ClientId));
        Assert.All(before, c => Assert.Equal("198.51.100.0/24", c.Network));
        Assert.Equal(["c3", "c2"], after.Select(c => c.ClientId));
        Assert.Empty(keys);
    }
}
