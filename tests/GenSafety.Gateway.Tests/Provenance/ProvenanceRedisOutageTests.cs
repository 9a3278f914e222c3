using System.Net;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// A Redis outage (a private server, stopped): answers still go out with their receipt (the ledger write fails open)
/// and verification answers 503 <c>state_store_unavailable</c> rather than a verdict without the ledger.
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
}
