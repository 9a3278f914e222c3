using System.Buffers.Text;
using System.Text.Json.Nodes;
using GenSafety.Gateway.Provenance;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using GenSafety.Watermarking.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// The watermark statistics on their own (a second gateway with the same master key but an empty ledger) and key
/// rotation: receipts and marks of the previous epoch still verify, and stop verifying once rotated out.
/// </summary>
public sealed class WatermarkVerificationTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>
{
    [Fact]
    public async Task UnigramBias_OutputVerifiedByWatermarkAlone_OnGatewayWithEmptyLedger()
    {
        var tenant = SharedRedisFixture.NewId("wm-green");
        string[] scheme = [$"--GenSafety:Watermarking:TenantSchemes:{tenant}=unigram-bias", "--GenSafety:Watermarking:UnigramBias:Delta=10"];
        await using var model = await ReferenceModelHost.StartAsync();
        await using var producer = await GatewayHost.StartAsync(model.Url, Args(redis, SharedRedisFixture.NewKeyPrefix(), scheme));
        await using var verifier = await GatewayHost.StartAsync(model.Url, Args(redis, SharedRedisFixture.NewKeyPrefix(), scheme));
        using var client = producer.PublicWithKey(await producer.CreateClientKeyAsync(tenant: tenant));
        using var checker = verifier.PublicWithKey(await verifier.CreateClientKeyAsync(tenant: tenant));
        using var stranger = verifier.PublicWithKey(await verifier.CreateClientKeyAsync(tenant: SharedRedisFixture.NewId("other")));

        string[] prompts = ["Tell me about the history of the sea and ships", "Write about winter in the mountains", "Explain how a city grows"];
        foreach (var prompt in prompts)
        {
            var (text, _) = await ChatAsync(client, Chat(prompt, 200));

            var verification = await VerifyAsync(checker, text);
            var mark = Evidence(verification, "watermark:unigram-bias");
            Assert.True(Verdict(verification) == "produced", verification.ToString());
            Assert.True(mark.GetProperty("score").GetDouble() >= mark.GetProperty("threshold").GetDouble(), mark.ToString());
            Assert.Equal(0, Evidence(verification, "ledger_near_duplicate").GetProperty("score").GetDouble());
            // Another tenant's keys do not see the mark.
            Assert.Equal("not_produced", Verdict(await VerifyAsync(stranger, text)));
        }
    }

    [Fact]
    public async Task RotatedKey_PreviousEpochStillVerifies_UntilRotatedOut()
    {
        var time = new TestTimeProvider(DateTimeOffset.UtcNow);
        var tenant = SharedRedisFixture.NewId("wm-rot");
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url,
            Args(redis, SharedRedisFixture.NewKeyPrefix(), "--GenSafety:Watermarking:Keys:RotationPeriod=01:00:00", "--GenSafety:Watermarking:Keys:RetiredEpochs=1"),
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync(tenant: tenant));
        var ring = gateway.Services.GetRequiredService<ProvenanceSchemes>().KeyRing!;
        var (text, receipt) = await ChatAsync(client, Chat("Tell me a story about a lighthouse keeper", 200));
        var oldKid = ring.Current(tenant, KeyPurpose.Lexical).Kid;
        var receiptKid = JsonNode.Parse(Base64Url.DecodeFromChars(receipt.Split('.')[0]))!["kid"]!.GetValue<string>();

        time.Advance(TimeSpan.FromHours(1));
        var afterRotation = await VerifyAsync(client, text, receipt);
        var (_, fresh) = await ChatAsync(client, Chat("Tell me a story about a lighthouse keeper", 20));
        time.Advance(TimeSpan.FromHours(1));
        var rotatedOut = await VerifyAsync(client, text, receipt);

        Assert.NotEqual(oldKid, ring.Current(tenant, KeyPurpose.Lexical).Kid);
        Assert.Equal("valid", Evidence(afterRotation, "receipt").GetProperty("detail").GetString());
        Assert.Contains($"kid={oldKid} ", Evidence(afterRotation, "watermark:lexical").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(receiptKid, JsonNode.Parse(Base64Url.DecodeFromChars(fresh.Split('.')[0]))!["kid"]!.GetValue<string>());
        Assert.Equal("unknown_key", Evidence(rotatedOut, "receipt").GetProperty("detail").GetString());
        // The ledger keeps its record for the retention period, whatever the keys.
        Assert.Equal("produced", Verdict(rotatedOut));
    }
}
