using System.Net;
using System.Text.Json;
using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Memorization;
using GenSafety.Gateway.Provenance;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.Memorization;
using GenSafety.Gateway.Tests.TestHosts;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using static GenSafety.Gateway.Tests.Provenance.ImageProvenanceTestHelpers;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// What the image transform does with each kind of item (PNG, JPEG, URL, broken bytes) in one response of n images,
/// where it sits among the transforms, and how image marks live through a key rotation.
/// </summary>
public sealed class ImageProvenanceMarkingTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>
{
    private static readonly string[] NoDetection = ["--GenSafety:Detection:Enabled=false"];

    [Fact]
    public async Task MixedResponse_EachImageMarkedInItsFormat_OneReceiptPerMarkedImage_UrlAndBrokenPassedUnchanged()
    {
        var png = MemorizationTestData.Picture(31, 320, 256);
        var jpeg = Jpeg(MemorizationTestData.Picture(32, 300, 200), 90);
        var broken = png[..(png.Length / 3)];
        var body = JsonSerializer.Serialize(new
        {
            created = 7,
            data = new object[]
            {
                new { b64_json = Convert.ToBase64String(png), revised_prompt = "p" },
                new { url = "https://images.example/1.png" },
                new { b64_json = Convert.ToBase64String(broken) },
                new { b64_json = Convert.ToBase64String(jpeg) },
            },
        });
        await using var upstream = await ScriptedUpstream.StartFixedAsync(body);
        var tenant = SharedRedisFixture.NewId("img-n");
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args(redis, SharedRedisFixture.NewKeyPrefix(), NoDetection));
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync(tenant: tenant));
        var schemes = gateway.Services.GetRequiredService<ProvenanceSchemes>();
        var key = schemes.KeyRing!.Current(tenant, KeyPurpose.Image);

        var (images, receipts, json) = await GenerateAsync(client, n: 4);

        Assert.Equal(2, receipts.Length);
        var data = json.GetProperty("data");
        Assert.Equal("https://images.example/1.png", data[1].GetProperty("url").GetString());
        Assert.Equal("p", data[0].GetProperty("revised_prompt").GetString());
        Assert.Equal(broken, images[2]);
        Assert.NotEqual(png, images[0]);
        Assert.NotEqual(jpeg, images[3]);
        Assert.Equal(ImageFormat.Png, ImageCodec.Decode(images[0], 1, long.MaxValue).Format);
        Assert.Equal(ImageFormat.Jpeg, ImageCodec.Decode(images[3], 1, long.MaxValue).Format);
        // Receipts follow data order over the marked images; each names the id its image's mark carries.
        Assert.Equal(RecordId(receipts[0]), ImageRecordIds.Format(schemes.ImageDetector!.Detect(images[0], [key]).RecordId!.Value));
        Assert.Equal(RecordId(receipts[1]), ImageRecordIds.Format(schemes.ImageDetector.Detect(images[3], [key]).RecordId!.Value));
        Assert.NotEqual(RecordId(receipts[0]), RecordId(receipts[1]));
        foreach (var (image, receipt) in new[] { (images[0], receipts[0]), (images[3], receipts[1]) })
        {
            var verification = await VerifyImageAsync(client, image, receipt);
            Assert.Equal("produced", Verdict(verification));
            Assert.Equal("valid", Evidence(verification, "receipt").GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task ImagesOff_ResponseUntouched_NoVerifyRoute()
    {
        var png = MemorizationTestData.Picture(33, 256, 256);
        await using var upstream = await MemorizationUpstream.StartAsync();
        upstream.Images = [Convert.ToBase64String(png)];
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args(null, null, [.. NoDetection, "--GenSafety:Watermarking:MarkImages=false"]));
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var (images, receipts, _) = await GenerateAsync(client);
        using var verify = await client.PostAsync("/v1/verify/image", Json("{\"image_b64\":\"aGVsbG8=\"}"));

        Assert.Equal(png, images[0]);
        Assert.Empty(receipts);
        Assert.Equal(HttpStatusCode.NotFound, verify.StatusCode);
    }

    [Fact]
    public void BadImageSchemeSettings_GatewayDoesNotStart_EveryErrorReported()
    {
        var (_, _, args) = GatewayHost.Arguments("http://127.0.0.1:9", Args(null, null, "--GenSafety:Watermarking:Image:StepSize=1", "--GenSafety:Watermarking:Image:JpegQuality=101"));

        var error = Assert.Throws<OptionsValidationException>(() => GatewayApp.Build(GatewayApp.CreateBuilder(args)));

        Assert.Contains(error.Failures, m => m.Contains("GenSafety:Watermarking:Image:StepSize", StringComparison.Ordinal));
        Assert.Contains(error.Failures, m => m.Contains("GenSafety:Watermarking:Image:JpegQuality", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transforms_MemorizationFilterRunsBeforeTheImageMark()
    {
        await using var upstream = await ScriptedUpstream.StartModelListAsync();
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, Args(null, null, NoDetection));

        var transforms = gateway.Services.GetServices<IJsonResponseTransform>().Select(t => t.GetType()).ToList();

        Assert.InRange(transforms.IndexOf(typeof(MemorizationImageTransform)), 0, transforms.IndexOf(typeof(ImageProvenanceTransform)) - 1);
    }

    [Fact]
    public async Task RotatedKey_ImageMarkedUnderRetiredEpochStillVerifies_UntilRotatedOut()
    {
        var time = new TestTimeProvider(DateTimeOffset.UtcNow);
        var tenant = SharedRedisFixture.NewId("img-rot");
        await using var model = await ReferenceModelHost.StartAsync();
        await using var gateway = await GatewayHost.StartAsync(model.Url,
            Args(redis, SharedRedisFixture.NewKeyPrefix(), [.. NoDetection, "--GenSafety:Watermarking:Keys:RotationPeriod=01:00:00", "--GenSafety:Watermarking:Keys:RetiredEpochs=1"]),
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync(tenant: tenant));
        var ring = gateway.Services.GetRequiredService<ProvenanceSchemes>().KeyRing!;
        var (images, receipts, _) = await GenerateAsync(client, size: "512x512");
        var oldKid = ring.Current(tenant, KeyPurpose.Image).Kid;
        // Re-encoded, so only the mark (and the perceptual hash) can find it, not the exact bytes.
        var reencoded = Jpeg(images[0], 90);

        time.Advance(TimeSpan.FromHours(1));
        var afterRotation = await VerifyImageAsync(client, reencoded, receipts[0]);
        time.Advance(TimeSpan.FromHours(1));
        var rotatedOut = await VerifyImageAsync(client, reencoded);

        Assert.NotEqual(oldKid, ring.Current(tenant, KeyPurpose.Image).Kid);
        Assert.True(Positive(afterRotation, "watermark:image-qim"), afterRotation.ToString());
        Assert.Contains($"kid={oldKid} ", Evidence(afterRotation, "watermark:image-qim").GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(RecordId(receipts[0]), Evidence(afterRotation, "watermark:image-qim").GetProperty("record_id").GetString());
        Assert.True(Positive(afterRotation, "ledger_record"));
        // The receipt covers the delivered bytes, not a re-encoded copy.
        Assert.Equal("output_mismatch", Evidence(afterRotation, "receipt").GetProperty("detail").GetString());
        Assert.False(Positive(rotatedOut, "watermark:image-qim"), rotatedOut.ToString());
        // The ledger keeps its record for the retention period, whatever the keys.
        Assert.True(Positive(rotatedOut, "perceptual_hash"));
        Assert.Equal("produced", Verdict(rotatedOut));
    }
}
