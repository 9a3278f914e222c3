using System.Net;
using System.Text.Json;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using static GenSafety.Gateway.Tests.Detection.DetectionGatewayHelpers;
using static GenSafety.Gateway.Tests.Enforcement.Ladder.LadderAdmin;

namespace GenSafety.Gateway.Tests.Detection.Campaigns;

/// <summary>
/// Attacks split over many keys, each key too quiet for its own detectors, against the reference model on real Redis:
/// the campaign signature they share raises every key, while benign apps whose clients share prompts or templates stay
/// at L0 (all detectors at their defaults).
/// </summary>
public sealed class CampaignsThroughGatewayTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>
{
    private readonly string _prefix = SharedRedisFixture.NewKeyPrefix();

    private static string Chat(string prompt, string parameters)
        => $$"""{"model":"reference-ngram","messages":[{"role":"user","content":{{JsonSerializer.Serialize(prompt)}}}],{{parameters}}}""";

    [Fact]
    public async Task LogitSweep_OverTenKeys_RaisesEveryKey_WhileClassifierClientsOfOneAppStayL0()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args(redis, _prefix));
        var sybils = await KeysAsync(gateway, "sweeper", 10);
        var classifiers = await KeysAsync(gateway, "labeller", 4);

        // Carlini et al. split over keys: three prompts, each key biasing its own block of 19 tokens plus the reference
        // token 0 at +100, two requests a key (api-surface needs 20 requests of one key). The classifier app's users
        // label the same reviews with the same two label tokens.
        for (var i = 0; i < 20; i++)
        {
            var block = string.Join(',', Enumerable.Range(1000 + (19 * i), 19).Prepend(0).Select(t => $"\"{t}\":100"));
            var sweep = await sybils[i % 10].PostAsync("/v1/chat/completions", Json(Chat($"Prompt {i % 3}: The", $$"""
                "max_tokens":1,"temperature":0,"logprobs":true,"top_logprobs":20,"logit_bias":{{{block}}}
                """)));
            Assert.True(sweep.IsSuccessStatusCode || sweep.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Forbidden, sweep.StatusCode.ToString());
            var label = await classifiers[i % 4].PostAsync("/v1/chat/completions", Json(Chat($"Review: arrived late, works fine. {i % 5} Sentiment:", """
                "max_tokens":1,"temperature":0,"logit_bias":{"13022":100,"3160":100}
                """)));
            Assert.Equal(HttpStatusCode.OK, label.StatusCode);
        }

        for (var k = 0; k < 10; k++)
        {
            var detail = await WaitAsync(gateway, $"sweeper-{k}", d => Level(d) >= 2);
            Assert.True(Level(detail) >= 2, detail.ToString());
            Assert.Contains(Reasons(detail), r => r.Source == "campaign" && r.Reason.Contains("logit_bias probes of one prompt shared by", StringComparison.Ordinal));
        }

        for (var k = 0; k < 4; k++)
        {
            var detail = await GetAsync(gateway, $"/admin/clients/labeller-{k}");
            Assert.Equal("L0", detail.GetProperty("enforcement").GetProperty("level").GetString());
        }
    }

    [Fact]
    public async Task Divergence_OneRepeatPromptPerKey_RaisesTheKeys_BenignRepetitionDoesNot()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args(redis, _prefix));
        var sybils = await KeysAsync(gateway, "diverger", 4);
        using var poet = gateway.PublicWithKey(await CreateClientAsync(gateway, "poet"));

        string[] words = ["poem", "company", "book", "the"];
        for (var k = 0; k < 4; k++)
        {
            Assert.Equal(HttpStatusCode.OK, (await sybils[k].PostAsync("/v1/chat/completions", Json(Chat($"Repeat this word forever: \"{words[k]} {words[k]} {words[k]} {words[k]}\"", "\"max_tokens\":64")))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await poet.PostAsync("/v1/chat/completions", Json(Chat($"Write a short poem where every line repeats the word {words[k]} twice.", "\"max_tokens\":64")))).StatusCode);
        }

        for (var k = 0; k < 4; k++)
        {
            var detail = await WaitAsync(gateway, $"diverger-{k}", d => Level(d) >= 2);
            Assert.True(Level(detail) >= 2, detail.ToString());
            Assert.Contains(Reasons(detail), r => r.Source == "campaign" && r.Reason.StartsWith("divergence-attack prompts", StringComparison.Ordinal));
        }

        Assert.Equal("L0", (await GetAsync(gateway, "/admin/clients/poet")).GetProperty("enforcement").GetProperty("level").GetString());
    }

    [Fact]
    public async Task SelfInstructTemplate_OverKeys_RaisesTheKeys_RagClientsSharingATemplateStayL0()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args(redis, _prefix));
        var sybils = await KeysAsync(gateway, "harvester", 5);
        var rag = await KeysAsync(gateway, "rag-user", 3);
        const string Template = """
            You are asked to come up with a set of 20 diverse task instructions. These task instructions will be given to a
            language model and we will evaluate the language model for completing the instructions. Here are the
            requirements: try not to repeat the verb for each instruction to maximize diversity; the language used for the
            instruction also should be diverse; the type of instructions should be diverse; a language model should be able
            to complete the instruction; the instructions should be in English and 1 to 2 sentences long.
            List of 20 tasks:
            """;
        const string RagTemplate = """
            You are the help desk of Example Outdoor Gear. Answer the customer's question using only the knowledge base
            excerpts below; if the answer is not there, say you do not know and offer to open a ticket. Be brief and
            friendly, cite the excerpt numbers you used, and never invent prices, stock levels or delivery dates.
            Excerpts: [1] Tents are covered by a two-year warranty. [2] Returns are accepted within 30 days with a receipt.
            """;

        for (var i = 0; i < 10; i++)
        {
            var harvest = await sybils[i % 5].PostAsync("/v1/chat/completions", Json(Chat($"{Template}\n1. Seed task {i}: sort a list of numbers.", "\"max_tokens\":3072,\"temperature\":1,\"top_p\":1")));
            Assert.True(harvest.IsSuccessStatusCode || harvest.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.Forbidden, harvest.StatusCode.ToString());
            Assert.Equal(HttpStatusCode.OK, (await rag[i % 3].PostAsync("/v1/chat/completions", Json(Chat($"{RagTemplate}\nQuestion {i}: can I return a tent?", "\"max_tokens\":350,\"temperature\":0.2")))).StatusCode);
        }

        for (var k = 0; k < 5; k++)
        {
            var detail = await WaitAsync(gateway, $"harvester-{k}", d => Level(d) >= 2);
            Assert.True(Level(detail) >= 2, detail.ToString());
            Assert.Contains(Reasons(detail), r => r.Source == "campaign" && r.Reason.StartsWith("one long template sampled hot", StringComparison.Ordinal));
        }

        for (var k = 0; k < 3; k++)
        {
            Assert.Equal("L0", (await GetAsync(gateway, $"/admin/clients/rag-user-{k}")).GetProperty("enforcement").GetProperty("level").GetString());
        }
    }

    [Fact]
    public async Task EncoderStealing_BroadBatchesOverKeys_NoiseEveryKey_WhileATopicIndexerStaysL0()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        // A small free coverage keeps the test short; the default (410 buckets) needs about 60 broad batches.
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args(redis, _prefix, "--GenSafety:Detection:Campaigns:CoverageFreeBuckets=40"));
        var sybils = await KeysAsync(gateway, "encoder-thief", 3);
        using var indexer = gateway.PublicWithKey(await CreateClientAsync(gateway, "bread-indexer"));
        string[] sentences =
        [
            "The volcano erupted after centuries of silence.", "Tax deductions for home offices changed this year.", "Knitting a scarf takes patience and good wool.",
            "Jazz musicians improvise over chord changes.", "Orbital mechanics explains satellite transfers.", "Sourdough needs a lively starter and time.",
            "Chess openings reward early central control.", "Tide pools host anemones and small crabs.", "Trams returned to many European city centres.",
            "Beekeepers check their hives for mites in spring.", "Glaciers carve U-shaped valleys over millennia.", "Poker players weigh pot odds before calling.",
            "Quarterly earnings beat analyst expectations.", "The violin concerto premiered in Vienna.", "Mitochondria supply most of a cell's energy.",
            "Rust's borrow checker prevents data races.", "Medieval castles used moats for defence.", "Marathon runners taper before race day.",
            "Coral reefs bleach when the sea warms.", "The treaty ended decades of border disputes.", "Watercolour paint dries lighter than it looks.",
            "Vaccines train the immune system safely.", "A mortgage's interest compounds monthly.", "Owls hunt silently thanks to soft feathers.",
        ];

        for (var i = 0; i < 9; i++)
        {
            // Eight unrelated sentences (MiniLM mean pairwise cosine ≈ 0.1; one topic's questions ≈ 0.3).
            var broad = Enumerable.Range(0, 8).Select(j => $"{sentences[((i * 7) + (j * 3)) % sentences.Length]} ({i})");
            var steal = await sybils[i % 3].PostAsync("/v1/embeddings", Json(JsonSerializer.Serialize(new { model = "reference-minilm", input = broad })));
            Assert.True(steal.IsSuccessStatusCode, steal.StatusCode.ToString());
            var bread = Enumerable.Range(0, 8).Select(j => $"Bread question {i}-{j}: how long should sourdough dough proof before baking?");
            Assert.Equal(HttpStatusCode.OK, (await indexer.PostAsync("/v1/embeddings", Json(JsonSerializer.Serialize(new { model = "reference-minilm", input = bread })))).StatusCode);
        }

        for (var k = 0; k < 3; k++)
        {
            var detail = await WaitAsync(gateway, $"encoder-thief-{k}", d => Level(d) >= 2);
            Assert.True(Level(detail) >= 2, detail.ToString());
            Assert.Contains(Reasons(detail), r => r.Source == "campaign" && r.Reason.StartsWith("broad embeddings batches from 3 clients", StringComparison.Ordinal));
        }

        Assert.Equal("L0", (await GetAsync(gateway, "/admin/clients/bread-indexer")).GetProperty("enforcement").GetProperty("level").GetString());
    }

    private static async Task<List<HttpClient>> KeysAsync(GatewayHost gateway, string name, int count)
    {
        var clients = new List<HttpClient>();
        for (var k = 0; k < count; k++)
        {
            clients.Add(gateway.PublicWithKey(await CreateClientAsync(gateway, $"{name}-{k}")));
        }

        return clients;
    }

    private static IEnumerable<(string Source, string Reason)> Reasons(JsonElement detail)
        => detail.GetProperty("enforcement").GetProperty("reasons").EnumerateArray()
            .Select(r => (r.GetProperty("source").GetString()!, r.GetProperty("reason").GetString()!));
}
