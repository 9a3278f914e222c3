using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using GenSafety.Gateway.Provenance;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.Memorization;
using GenSafety.Gateway.Tests.TestHosts;
using GenSafety.Watermarking.Images;
using GenSafety.Watermarking.Keys;
using Microsoft.Extensions.DependencyInjection;
using static GenSafety.Gateway.Tests.Provenance.ImageProvenanceTestHelpers;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// Image provenance end to end on real Redis against the reference model: generated images come back marked in their
/// own format with a receipt and a ledger record; <c>/v1/verify/image</c> says produced for them (also after a JPEG
/// re-encode, through the mark and the perceptual hash) and not produced for images the gateway never delivered;
/// altered receipts, receipts under unknown keys and receipts of other images are rejected.
/// </summary>
public sealed class ImageProvenanceThroughGatewayTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>, IAsyncLifetime
{
    private readonly string _prefix = SharedRedisFixture.NewKeyPrefix();
    private readonly string _tenant = SharedRedisFixture.NewId("img");
    private ReferenceModelHost _model = null!;
    private GatewayHost _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _model = await ReferenceModelHost.StartAsync();
        _gateway = await GatewayHost.StartAsync(_model.Url, Args(redis, _prefix, "--GenSafety:Detection:Enabled=false"));
        _client = _gateway.PublicWithKey(await _gateway.CreateClientKeyAsync(tenant: _tenant));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _model.DisposeAsync();
    }

    private ProvenanceSchemes Schemes => _gateway.Services.GetRequiredService<ProvenanceSchemes>();

    [Fact]
    public async Task Generate_MarkedPngWithReceiptAndLedgerRecord_VerifiesProduced()
    {
        var (images, receipts, _) = await GenerateAsync(_client);

        var image = Assert.Single(images);
        var (pixels, format) = ImageCodec.Decode(image, 1, long.MaxValue);
        Assert.Equal((ImageFormat.Png, 256, 256), (format, pixels.Width, pixels.Height));
        var receipt = Assert.Single(receipts);
        var recordId = RecordId(receipt);
        Assert.Matches("^img_[0-9a-f]{16}$", recordId);
        var key = Schemes.KeyRing!.Current(_tenant, KeyPurpose.Image);
        var detection = Schemes.ImageDetector!.Detect(image, [key]);
        Assert.True(detection.Detected, detection.Test.ToString());
        Assert.Equal(recordId, ImageRecordIds.Format(detection.RecordId!.Value));

        var verification = await VerifyImageAsync(_client, image, receipt);

        Assert.Equal("produced", Verdict(verification));
        Assert.True(verification.GetProperty("p_value").GetDouble() < 1e-6, verification.ToString());
        Assert.Equal("valid", Evidence(verification, "receipt").GetProperty("detail").GetString());
        Assert.Equal(recordId, Evidence(verification, "watermark:image-qim").GetProperty("record_id").GetString());
        Assert.Equal(recordId, Evidence(verification, "ledger_record").GetProperty("record_id").GetString());
        Assert.Equal(recordId, Evidence(verification, "exact_hash").GetProperty("record_id").GetString());
        Assert.Equal(256, Evidence(verification, "perceptual_hash").GetProperty("score").GetDouble());

        var db = redis.Connection.GetDatabase();
        var record = (await db.HashGetAllAsync($"{_prefix}:prov:rec:{recordId}")).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.Equal(key.Kid, record["k"]);
        Assert.Equal("image-qim", record["s"]);
        Assert.Equal("reference-diffusion", record["m"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(image)), record["h"]);
        Assert.Matches("^[0-9a-f]{64}$", record["p"]);
        var ttl = await db.KeyTimeToLiveAsync($"{_prefix}:prov:rec:{recordId}");
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(89), TimeSpan.FromDays(90));
    }

    [Theory]
    [InlineData(90)]
    [InlineData(75)]
    public async Task Verify_AfterJpegReencode_ProducedThroughMarkAndPerceptualHash(int quality)
    {
        var (images, receipts, _) = await GenerateAsync(_client, size: "512x512");
        var reencoded = Jpeg(images[0], quality);

        var verification = await VerifyImageAsync(_client, reencoded);

        Assert.Equal("produced", Verdict(verification));
        Assert.False(HasEvidence(verification, "exact_hash"));
        Assert.True(Positive(verification, "watermark:image-qim"), verification.ToString());
        Assert.Equal(RecordId(receipts[0]), Evidence(verification, "watermark:image-qim").GetProperty("record_id").GetString());
        Assert.True(Positive(verification, "ledger_record"));
        Assert.True(Positive(verification, "perceptual_hash"), verification.ToString());
        Assert.Equal(RecordId(receipts[0]), Evidence(verification, "perceptual_hash").GetProperty("record_id").GetString());
    }

    [Fact]
    public async Task Verify_ImagesNeverProduced_NotProduced()
    {
        foreach (var seed in new[] { 11, 12, 13 })
        {
            var verification = await VerifyImageAsync(_client, MemorizationTestData.Picture(seed, 320, 256));

            Assert.Equal("not_produced", Verdict(verification));
            Assert.True(verification.GetProperty("p_value").GetDouble() > 1e-3, verification.ToString());
            Assert.False(Positive(verification, "watermark:image-qim"));
            Assert.False(HasEvidence(verification, "ledger_record"));
            Assert.False(HasEvidence(verification, "exact_hash"));
            Assert.False(Positive(verification, "perceptual_hash"));
        }
    }

    [Fact]
    public async Task Verify_MarkedUnderAnotherTenant_NotSeenWithoutLedgerMatch()
    {
        var (images, _, _) = await GenerateAsync(_client, size: "512x512");
        using var stranger = _gateway.PublicWithKey(await _gateway.CreateClientKeyAsync(tenant: SharedRedisFixture.NewId("img-other")));

        // A heavy edit breaks the perceptual hash match, so the stranger's own keys are all that is tried.
        var cropped = Crop(images[0], 0.5);
        var verification = await VerifyImageAsync(stranger, cropped);

        Assert.False(Positive(verification, "perceptual_hash"), verification.ToString());
        Assert.Equal("not_produced", Verdict(verification));
        // The exact image names the owner through the ledger, whose tenant's keys are then tried too.
        var exact = await VerifyImageAsync(stranger, images[0]);
        Assert.Equal("produced", Verdict(exact));
        Assert.True(Positive(exact, "watermark:image-qim"));
        Assert.Contains("keys=8", Evidence(exact, "watermark:image-qim").GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TamperedReceipt_BadSignature_AndReceiptOfAnotherImage_OutputMismatch()
    {
        var (images, receipts, _) = await GenerateAsync(_client, n: 2);
        var parts = receipts[0].Split('.');
        var claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("reference-diffusion", "other-model", StringComparison.Ordinal);
        var tampered = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims)) + "." + parts[2];

        var forged = await VerifyImageAsync(_client, images[0], tampered);
        var swapped = await VerifyImageAsync(_client, images[1], receipts[0]);

        Assert.Equal("bad_signature", Evidence(forged, "receipt").GetProperty("detail").GetString());
        Assert.Equal(0, Evidence(forged, "receipt").GetProperty("score").GetDouble());
        Assert.Equal("output_mismatch", Evidence(swapped, "receipt").GetProperty("detail").GetString());
        Assert.Equal(0, Evidence(swapped, "receipt").GetProperty("score").GetDouble());
        // The images themselves still verify through their marks and the ledger.
        Assert.Equal("produced", Verdict(forged));
        Assert.Equal("produced", Verdict(swapped));
    }

    [Fact]
    public async Task Verify_ReceiptUnderUnknownKid_UnknownKey()
    {
        var (images, receipts, _) = await GenerateAsync(_client);
        var parts = receipts[0].Split('.');
        var header = Base64Url.EncodeToString("""{"alg":"HS256","typ":"gs-receipt","kid":"r.3"}"""u8);

        var verification = await VerifyImageAsync(_client, images[0], header + "." + parts[1] + "." + parts[2]);

        Assert.Equal("unknown_key", Evidence(verification, "receipt").GetProperty("detail").GetString());
        Assert.False(Evidence(verification, "receipt").TryGetProperty("record_id", out _));
    }

    [Theory]
    [InlineData("{}", "image_b64")]
    [InlineData("{\"image_b64\":\"\"}", "image_b64")]
    [InlineData("{\"image_b64\":42}", "image_b64")]
    [InlineData("{\"image_b64\":\"not base64!\"}", "image_b64")]
    [InlineData("{\"image_b64\":\"aGVsbG8gd29ybGQ=\"}", "image_b64")]
    [InlineData("{\"image_b64\":\"iVBORw0KGgo=\",\"receipt\":7}", "receipt")]
    [InlineData("[1,2]", null)]
    [InlineData("{\"image_b64\":", null)]
    public async Task Verify_BadInput_400(string body, string? param)
    {
        using var response = await _client.PostAsync("/v1/verify/image", Json(body));

        var error = await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Verify_BrokenImages_400()
    {
        var png = MemorizationTestData.Picture(21, 320, 256);
        byte[][] broken =
        [
            png[..(png.Length / 2)],
            MemorizationTestData.Picture(22, 64, 64),
            PixelBomb(),
        ];
        foreach (var image in broken)
        {
            using var response = await _client.PostAsJsonAsync("/v1/verify/image", new { image_b64 = Convert.ToBase64String(image) });

            var error = await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
            Assert.Equal("image_b64", error.GetProperty("param").GetString());
        }
    }

    [Fact]
    public async Task Verify_ImageOverTheLimit_400_BodyFarOverIt_413_WithoutKey_401()
    {
        await using var gateway = await GatewayHost.StartAsync(_model.Url, Args(null, null, "--GenSafety:Detection:Enabled=false", "--GenSafety:Watermarking:MaxVerifyImageBytes=4096"));
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        using var overLimit = await client.PostAsJsonAsync("/v1/verify/image", new { image_b64 = Convert.ToBase64String(new byte[8192]) });
        using var tooLarge = await client.PostAsJsonAsync("/v1/verify/image", new { image_b64 = Convert.ToBase64String(new byte[65536]) });
        using var anonymous = await gateway.Public.PostAsJsonAsync("/v1/verify/image", new { image_b64 = "aGVsbG8=" });

        var error = await ErrorAssert.IsOpenAIErrorAsync(overLimit, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal("image_b64", error.GetProperty("param").GetString());
        await ErrorAssert.IsOpenAIErrorAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        await ErrorAssert.IsOpenAIErrorAsync(anonymous, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    // A valid PNG header declaring 60000 × 60000 pixels: tiny on the wire, 14 GB decoded.
    private static byte[] PixelBomb()
    {
        var png = MemorizationTestData.Picture(23, 128, 128);
        var bomb = (byte[])png.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(16), 60_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(20), 60_000);
        // IHDR's CRC covers type and data (bytes 12–28); keep the chunk valid so only its size is wrong.
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bomb.AsSpan(29), Crc32(bomb.AsSpan(12, 17)));
        return bomb;
    }

    // PNG's CRC-32 (reflected, polynomial 0xEDB88320).
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static byte[] Crop(byte[] image, double area)
    {
        var source = ImageCodec.Decode(image, 1, long.MaxValue).Image;
        var scale = Math.Sqrt(area);
        var (w, h) = ((int)(source.Width * scale), (int)(source.Height * scale));
        var (x0, y0) = ((source.Width - w) / 2, (source.Height - h) / 2);
        var pixels = new byte[4 * w * h];
        for (var y = 0; y < h; y++)
        {
            Array.Copy(source.Pixels, 4 * (((y0 + y) * source.Width) + x0), pixels, 4 * y * w, 4 * w);
        }

        return ImageCodec.Encode(new RgbaImage(w, h, pixels), ImageFormat.Png, 100);
    }
}
