using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using GenSafety.Gateway.Provenance;
using GenSafety.Gateway.Tests.TestHosts;
using Xunit.Abstractions;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// The ownership demo at reduced size: an attacker distils the reference model through the gateway (harvests its
/// outputs, trains an n-gram surrogate on them — a second reference model whose training corpus is the harvest) and
/// publishes the surrogate's outputs. <c>POST /admin/ownership/test</c> finds the <c>unigram-bias</c> mark in them when
/// the harvest was marked (p &lt; 1e-6), and nothing when it was not (p &gt; 0.01) — the same keys, the same tests.
/// The <c>ownership-test</c> command reaches the same verdicts probing the surrogate's endpoint with prompts.
/// </summary>
public sealed class DistillationOwnershipTests(ITestOutputHelper output)
{
    private const int Harvest = 200;
    private const int SurrogateOutputs = 120;

    private static readonly string[] Topics =
    [
        "the history of the city", "how the river was named", "the old market", "the school by the lake", "the winter festival",
        "the railway station", "the family business", "the mountain road", "the harbour at night", "the library fire",
    ];

    [Fact]
    public async Task SurrogateDistilledFromMarkedOutputs_TestsPositive_FromUnmarkedOutputs_Negative()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args(
            null, null, "--GenSafety:Detection:Enabled=false", "--GenSafety:Memorization:Enabled=false",
            "--GenSafety:Watermarking:TenantSchemes:victim=unigram-bias", "--GenSafety:Watermarking:UnigramBias:Delta=4",
            "--GenSafety:Watermarking:TenantSchemes:plain=none"));
        using var marked = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("harvester", "victim"));
        using var unmarked = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("control", "plain"));

        var (fromMarked, probedMarked) = await DistilAsync(marked);
        var (fromUnmarked, probedUnmarked) = await DistilAsync(unmarked);

        var owned = await OwnershipAsync(gateway, "victim", fromMarked);
        var control = await OwnershipAsync(gateway, "victim", fromUnmarked);
        output.WriteLine($"marked harvest: {owned}");
        output.WriteLine($"unmarked harvest: {control}");
        output.WriteLine($"marked harvest, surrogate endpoint probed: {probedMarked}");
        output.WriteLine($"unmarked harvest, surrogate endpoint probed: {probedUnmarked}");
        Assert.True(probedMarked.GetProperty("p_value").GetDouble() < 1e-6, probedMarked.ToString());
        Assert.Equal(0, probedMarked.GetProperty("probe").GetProperty("failed").GetInt32());
        Assert.True(probedUnmarked.GetProperty("p_value").GetDouble() > 0.01, probedUnmarked.ToString());
        Assert.True(owned.GetProperty("p_value").GetDouble() < 1e-6, owned.ToString());
        Assert.Equal("evidence_of_ownership", owned.GetProperty("verdict").GetString());
        Assert.True(control.GetProperty("p_value").GetDouble() > 0.01, control.ToString());
        Assert.Equal("no_evidence", control.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task OwnershipTest_BadInput_IsAnOpenAIError_AndNeedsTheAdminToken()
    {
        await using var gateway = await GatewayHost.StartAsync("http://127.0.0.1:9/", Args(null, null));

        foreach (var (body, param) in new (string, string?)[]
        {
            ("[]", null), ("{\"texts\":[\"a\"]}", "tenant"), ("{\"tenant\":\"t\",\"texts\":[]}", "texts"),
            ("{\"tenant\":\"t\",\"texts\":[1]}", "texts[0]"), ("{\"tenant\":\"t\",\"texts\":[\"a\"],\"model\":5}", "model"), ("{not json", null),
        })
        {
            using var response = await gateway.Admin.PostAsync("/admin/ownership/test", Json(body));
            var error = await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
            Assert.Equal(param, error.TryGetProperty("param", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null);
        }

        using var anonymous = new HttpClient { BaseAddress = gateway.Admin.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/admin/ownership/test", Json("{\"tenant\":\"t\",\"texts\":[\"a\"]}"))).StatusCode);
    }

    // Harvests outputs through the gateway, trains a surrogate on them, returns the surrogate's own outputs and the
    // ownership-test command's report from probing the surrogate's endpoint.
    private static async Task<(List<string> Outputs, JsonElement Probed)> DistilAsync(HttpClient client)
    {
        var harvest = new List<string>();
        for (var i = 0; i < Harvest; i++)
        {
            var (text, _) = await ChatAsync(client, Chat($"Tell me about {Topics[i % Topics.Length]}.", 160, seed: i + 1));
            harvest.Add(text.ReplaceLineEndings(" "));
        }

        var data = Directory.CreateTempSubdirectory("surrogate-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "ReferenceModelData")))
            {
                File.Copy(file, Path.Combine(data.FullName, Path.GetFileName(file)));
            }

            await File.WriteAllLinesAsync(Path.Combine(data.FullName, "corpus.train.txt"), harvest);
            await File.WriteAllTextAsync(Path.Combine(data.FullName, "members.jsonl"), string.Empty);
            await using var surrogate = await ReferenceModelHost.StartAsync(o => (o.DataDirectory, o.Order) = (data.FullName, 4));
            using var direct = new HttpClient { BaseAddress = new Uri(surrogate.Url) };
            var outputs = new List<string>();
            for (var i = 0; i < SurrogateOutputs; i++)
            {
                var (text, _) = await ChatAsync(direct, Chat($"Write about {Topics[(i * 3) % Topics.Length]}.", 160, seed: 1000 + i));
                outputs.Add(text);
            }

            return (outputs, await ProbeAsync(surrogate.Url, data));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task<JsonElement> ProbeAsync(string surrogateUrl, DirectoryInfo folder)
    {
        var prompts = Path.Combine(folder.FullName, "prompts.jsonl");
        await File.WriteAllLinesAsync(prompts, Topics.Select(t => JsonSerializer.Serialize($"Write about {t}.")));
        using var report = new StringWriter();
        var status = await OwnershipCommand.RunAsync(
            [OwnershipCommand.Verb, "--tenant", "victim", "--endpoint", surrogateUrl.TrimEnd('/') + "/v1", "--prompts", prompts, "--model", "reference-ngram",
             "--samples", "8", "--max-tokens", "160", $"--GenSafety:Watermarking:MasterKey={MasterKey}"],
            report);
        Assert.Equal(0, status);
        return JsonDocument.Parse(report.ToString()).RootElement.Clone();
    }

    private static async Task<JsonElement> OwnershipAsync(GatewayHost gateway, string tenant, List<string> texts)
    {
        using var response = await gateway.Admin.PostAsJsonAsync("/admin/ownership/test", new { tenant, texts });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
