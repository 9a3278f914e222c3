using System.Net;
using System.Net.Http.Json;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// A Redis outage (a private server, stopped): answers (texts, and images with their mark) still go out with their
/// receipt (the ledger write fails open) and verification answers 503 <c>state_store_unavailable</c> rather than a
/// verdict without the ledger.
/// </summary>
public sealed class ProvenanceRedisOutageTests
{
    [Fact]
    public async Task RedisDown_AnswerKeepsReceipt_VerifyIs503()
    {
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args(null, null,
            $"--GenSafety:Redis:ConnectionString={redis.EndPoint}", "--GenSafety:Redis:FailureMode=open", "--GenSafety:Redis:OperationTimeout=00:00:00.500"));
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync(tenant: "wm-outage"));
        var (_, before) = await ChatAsync(client, Chat("Tell me about the sea", 20));

        await redis.StopAsync();
        var (text, receipt) = await ChatAsync(client, Chat("Tell me about the mountains", 20));
        using var verify = await client.PostAsync("/v1/verify/text", Json($$"""{"text":{{System.Text.Json.JsonSerializer.Serialize(text)}}}"""));

        Assert.NotEmpty(before);
        Assert.Equal(3, receipt.Split('.').Length);
        await ErrorAssert.IsOpenAIErrorAsync(verify, HttpStatusCode.ServiceUnavailable, "state_store_unavailable");
    }

    [Fact]
    public async Task RedisDown_ImageStillMarkedWithReceipt_VerifyImageIs503()
    {
        await using var redis = await RedisServerProcess.StartNewAsync();
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url, Args(null, null,
            "--GenSafety:Detection:Enabled=false",
            $"--GenSafety:Redis:ConnectionString={redis.EndPoint}", "--GenSafety:Redis:FailureMode=open", "--GenSafety:Redis:OperationTimeout=00:00:00.500"));
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync(tenant: "wm-outage-img"));
        _ = await ImageProvenanceTestHelpers.GenerateAsync(client);

        await redis.StopAsync();
        var (images, receipts, _) = await ImageProvenanceTestHelpers.GenerateAsync(client);
        using var verify = await client.PostAsJsonAsync("/v1/verify/image", new { image_b64 = Convert.ToBase64String(images[0]) });

        Assert.Equal(3, Assert.Single(receipts).Split('.').Length);
        await ErrorAssert.IsOpenAIErrorAsync(verify, HttpStatusCode.ServiceUnavailable, "state_store_unavailable");
    }
}
