using System.Net;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;

namespace GenSafety.Gateway.Tests.DatasetInference;

/// <summary>
/// <c>/v1/dataset-inference</c> end to end on real Redis against the reference model: members come out as evidence of
/// training use, non-members as no evidence; jobs belong to their client; cancel; bad input and a broken upstream get
/// clear errors.
/// </summary>
public sealed class DatasetInferenceEndpointsTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>
{
    private readonly string _prefix = SharedRedisFixture.NewKeyPrefix();

    private string[] Args(params string[] extra) =>
    [
        $"--GenSafety:Redis:ConnectionString={redis.EndPoint}",
        $"--GenSafety:Redis:KeyPrefix={_prefix}",
        "--GenSafety:Detection:Enabled=false",
        "--GenSafety:DatasetInference:Model=reference-ngram",
        "--GenSafety:DatasetInference:RequestMoments=true",
        "--GenSafety:DatasetInference:RequestsPerSecond=1000",
        "--GenSafety:DatasetInference:BatchSize=32",
        .. extra,
    ];

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> WaitForEndAsync(HttpClient client, string id)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var body = JsonDocument.Parse(await client.GetStringAsync($"/v1/dataset-inference/{id}")).RootElement;
            if (body.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled")
            {
                return body;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Job {id} did not end.");
    }

    private static async Task<string> StartAsync(HttpClient client, object body)
    {
        var response = await client.PostAsync("/v1/dataset-inference", Json(body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("queued", job.GetProperty("status").GetString());
        Assert.Equal($"/v1/dataset-inference/{job.GetProperty("id").GetString()}", response.Headers.Location!.ToString());
        return job.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Members_AreEvidenceOfUse_NonMembers_AreNot_WithHolmAcrossTheClientsTests()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args());
        using var author = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("author"));
        using var other = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("other"));

        var members = await StartAsync(author, new { suspect = ReferenceDocuments.Members.Take(40), heldout = ReferenceDocuments.NonMembers.Take(40) });
        var report = await WaitForEndAsync(author, members);
        Assert.True(report.GetProperty("status").GetString() == "succeeded", report.ToString());
        var result = report.GetProperty("report");
        Assert.Equal("evidence_of_use", result.GetProperty("verdict").GetString());
        Assert.True(result.GetProperty("p_value").GetDouble() < 0.01, result.ToString());
        Assert.True(result.GetProperty("controls").GetProperty("bag_of_words").GetProperty("auroc").GetDouble() < 0.65);
        Assert.False(result.GetProperty("controls").GetProperty("heldout_vs_heldout").GetProperty("significant").GetBoolean());
        Assert.Contains(result.GetProperty("feature_weights").EnumerateArray(), w => w.GetProperty("feature").GetString() == "min-k++");
        Assert.Equal(report.GetProperty("progress").GetProperty("total").GetInt64(), report.GetProperty("progress").GetProperty("scored").GetInt64());

        // Another client cannot see the job.
        var foreign = await other.GetAsync($"/v1/dataset-inference/{members}");
        await ErrorAssert.IsOpenAIErrorAsync(foreign, HttpStatusCode.NotFound, "not_found");

        // Non-members against non-members: no evidence; the client's family now has two tests (Holm).
        var nonMembers = await StartAsync(author, new { suspect = ReferenceDocuments.NonMembers.Skip(40).Take(40), heldout = ReferenceDocuments.NonMembers.Skip(80).Take(40), seed = 3 });
        var control = await WaitForEndAsync(author, nonMembers);
        Assert.NotEqual("evidence_of_use", control.GetProperty("report").GetProperty("verdict").GetString());
        var holm = control.GetProperty("holm");
        Assert.Equal(2, holm.GetProperty("tests").GetInt32());
        Assert.True(holm.GetProperty("adjusted_p_value").GetDouble() >= control.GetProperty("report").GetProperty("p_value").GetDouble());
    }

    [Fact]
    public async Task ReferenceModelAndSynonyms_AddTheirRatioFeatures()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var reference = await ReferenceModelHost.StartAsync(o => o.Order = 2);
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args(
            $"--GenSafety:DatasetInference:ReferenceAddress={reference.Url}/", "--GenSafety:DatasetInference:ReferenceModel=reference-bigram",
            "--GenSafety:DatasetInference:Perturbations:5=Synonym"));
        using var author = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("author"));

        var id = await StartAsync(author, new { suspect = ReferenceDocuments.Members.Take(12), heldout = ReferenceDocuments.NonMembers.Take(12) });
        var ended = await WaitForEndAsync(author, id);

        Assert.Equal("succeeded", ended.GetProperty("status").GetString());
        var features = ended.GetProperty("report").GetProperty("feature_weights").EnumerateArray().Select(w => w.GetProperty("feature").GetString()).ToList();
        Assert.Contains("ratio-reference", features);
        Assert.Contains("ratio-synonym", features);
        Assert.Equal(24 * 8, ended.GetProperty("progress").GetProperty("total").GetInt64()); // original + 6 perturbations + reference
    }

    [Fact]
    public async Task Cancel_StopsARunningJob()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args("--GenSafety:DatasetInference:RequestsPerSecond=2", "--GenSafety:DatasetInference:BatchSize=1"));
        using var author = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("author"));
        var id = await StartAsync(author, new { suspect = ReferenceDocuments.Members.Take(20), heldout = ReferenceDocuments.NonMembers.Take(20) });

        var cancel = await author.DeleteAsync($"/v1/dataset-inference/{id}");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelling", JsonDocument.Parse(await cancel.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        var ended = await WaitForEndAsync(author, id);
        Assert.Equal("cancelled", ended.GetProperty("status").GetString());
        Assert.True(ended.GetProperty("progress").GetProperty("scored").GetInt64() < ended.GetProperty("progress").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task BadRequests_GetOpenAIErrors()
    {
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args("--GenSafety:DatasetInference:MaxRequestBytes=200000"));
        using var author = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("author"));
        var eight = Enumerable.Repeat("a document of several words", 8).ToArray();

        await ErrorAssert.IsOpenAIErrorAsync(await gateway.Public.PostAsync("/v1/dataset-inference", Json(new { suspect = eight, heldout = eight })), HttpStatusCode.Unauthorized, "invalid_api_key");
        await ErrorAssert.IsOpenAIErrorAsync(await author.PostAsync("/v1/dataset-inference", new StringContent("{\"suspect\":[", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "invalid_request");
        await ErrorAssert.IsOpenAIErrorAsync(await author.PostAsync("/v1/dataset-inference", new ByteArrayContent([0x7B, 0xFF, 0xFE, 0x7D])), HttpStatusCode.BadRequest, "invalid_request");
        var few = await ErrorAssert.IsOpenAIErrorAsync(await author.PostAsync("/v1/dataset-inference", Json(new { suspect = eight[..3], heldout = eight })), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("suspect", few.GetProperty("param").GetString());
        var empty = await ErrorAssert.IsOpenAIErrorAsync(await author.PostAsync("/v1/dataset-inference", Json(new { suspect = eight, heldout = Array.Empty<string>() })), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("heldout", empty.GetProperty("param").GetString());
        var missing = await ErrorAssert.IsOpenAIErrorAsync(await author.PostAsync("/v1/dataset-inference", Json(new { suspect = eight })), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("heldout", missing.GetProperty("param").GetString());
        var blank = await ErrorAssert.IsOpenAIErrorAsync(await author.PostAsync("/v1/dataset-inference", Json(new { suspect = eight.Append("   ").ToArray(), heldout = eight })), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("suspect[8]", blank.GetProperty("param").GetString());
        var wrongType = await ErrorAssert.IsOpenAIErrorAsync(await author.PostAsync("/v1/dataset-inference", Json(new { suspect = eight, heldout = new object[] { 1, 2, 3, 4, 5, 6, 7, 8 } })), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("heldout[0]", wrongType.GetProperty("param").GetString());
        var alpha = await ErrorAssert.IsOpenAIErrorAsync(await author.PostAsync("/v1/dataset-inference", Json(new { suspect = eight, heldout = eight, alpha = 0.9 })), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("alpha", alpha.GetProperty("param").GetString());
        var huge = Enumerable.Repeat(new string('x', 30_000), 8).ToArray();
        await ErrorAssert.IsOpenAIErrorAsync(await author.PostAsync("/v1/dataset-inference", Json(new { suspect = huge, heldout = huge })), HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        await ErrorAssert.IsOpenAIErrorAsync(await author.GetAsync("/v1/dataset-inference/di-000000000000000000000000"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task GarbageFromTheUpstream_FailsTheJobWithAClearError()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync("{\"choices\":[{\"index\":0,\"text\":\"no logprobs here\"}]}");
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args());
        using var author = gateway.PublicWithKey(await gateway.CreateClientKeyAsync("author"));
        var id = await StartAsync(author, new { suspect = ReferenceDocuments.Members.Take(8), heldout = ReferenceDocuments.NonMembers.Take(8) });

        var ended = await WaitForEndAsync(author, id);
        Assert.Equal("failed", ended.GetProperty("status").GetString());
        Assert.Contains("no usable prompt logprobs", ended.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
