using System.Buffers.Text;
using System.Text;
using GenSafety.Watermarking.Ledger;
using GenSafety.Watermarking.Receipts;
using GenSafety.Watermarking.Tests.TestSupport;

namespace GenSafety.Watermarking.Tests.Receipts;

public sealed class ReceiptServiceTests
{
    private const string Output = "The quick brown fox jumps over the lazy dog.";
    private static readonly DateTimeOffset Issued = DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly ManualClock _clock = new(Issued);
    private readonly ReceiptService _service;

    public ReceiptServiceTests() => _service = new ReceiptService(TestKeys.Ring(_clock, retiredEpochs: 1));

    [Fact]
    public void IssueThenVerify_ValidWithClaims()
    {
        var receipt = _service.Issue(Output, "gpt-4o", Issued, "rec-123");

        var result = _service.Verify(receipt, Output);

        Assert.Equal(ReceiptStatus.Valid, result.Status);
        Assert.Equal("rec-123", result.Claims!.RecordId);
        Assert.Equal("gpt-4o", result.Claims.Model);
        Assert.Equal(Issued, result.Claims.IssuedAt);
        Assert.Equal(OutputNormalizer.Sha256Hex(Output), result.Claims.OutputSha256);
        Assert.StartsWith("r.", result.Kid, StringComparison.Ordinal);
        Assert.Equal(3, receipt.Split('.').Length);
    }

    [Fact]
    public void Verify_NormalisedVariantOfOutput_Valid()
    {
        var receipt = _service.Issue(Output, "m", Issued, "r1");

        Assert.True(_service.Verify(receipt, "  The quick\u200b brown fox\n\njumps over the lazy dog. ").IsValid);
    }

    [Fact]
    public void Verify_OtherOutput_Mismatch()
    {
        var receipt = _service.Issue(Output, "m", Issued, "r1");

        var result = _service.Verify(receipt, "A different answer.");

        Assert.Equal(ReceiptStatus.OutputMismatch, result.Status);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Verify_TamperedPayload_BadSignature()
    {
        var parts = _service.Issue(Output, "small-model", Issued, "r1").Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("small-model", "large-model", StringComparison.Ordinal);
        var forged = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + parts[2];

        Assert.Equal(ReceiptStatus.BadSignature, _service.Verify(forged).Status);
    }

    [Fact]
    public void Verify_TamperedSignature_BadSignature()
    {
        var receipt = _service.Issue(Output, "m", Issued, "r1");
        var signature = Base64Url.DecodeFromChars(receipt.Split('.')[2]);
        signature[0] ^= 1;
        var tampered = receipt[..(receipt.LastIndexOf('.') + 1)] + Base64Url.EncodeToString(signature);

        Assert.Equal(ReceiptStatus.BadSignature, _service.Verify(tampered).Status);
    }

    [Fact]
    public void Verify_SignedUnderAnotherMaster_BadSignature()
    {
        var foreign = new ReceiptService(TestKeys.Ring(_clock, fill: 42)).Issue(Output, "m", Issued, "r1");

        Assert.Equal(ReceiptStatus.BadSignature, _service.Verify(foreign).Status);
    }

    [Fact]
    public void Verify_UnknownKid_UnknownKey()
    {
        var result = _service.Verify(WithHeader("{\"alg\":\"HS256\",\"typ\":\"gs-receipt\",\"kid\":\"r.999999\"}"));

        Assert.Equal(ReceiptStatus.UnknownKey, result.Status);
        Assert.Equal("r.999999", result.Kid);
    }

    [Fact]
    public void Verify_AfterRotation_RetainedKeyValid_ThenRotatedOut()
    {
        var receipt = _service.Issue(Output, "m", Issued, "r1");

        _clock.Now += TimeSpan.FromDays(30);
        var afterOneRotation = _service.Verify(receipt, Output);
        var newReceipt = _service.Issue(Output, "m", _clock.Now, "r2");
        _clock.Now += TimeSpan.FromDays(30);
        var afterTwoRotations = _service.Verify(receipt, Output);

        Assert.Equal(ReceiptStatus.Valid, afterOneRotation.Status);
        Assert.NotEqual(_service.Verify(newReceipt).Kid, afterOneRotation.Kid);
        Assert.Equal(ReceiptStatus.UnknownKey, afterTwoRotations.Status);
        Assert.Equal(ReceiptStatus.Valid, _service.Verify(newReceipt).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-receipt")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("!!!.???.***")]
    public void Verify_Garbage_Malformed(string? receipt)
    {
        Assert.Equal(ReceiptStatus.Malformed, _service.Verify(receipt).Status);
    }

    [Fact]
    public void Verify_AlgNone_Malformed()
    {
        var result = _service.Verify(WithHeader("{\"alg\":\"none\",\"kid\":\"r.0\"}"));

        Assert.Equal(ReceiptStatus.Malformed, result.Status);
        Assert.Contains("HS256", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TooLong_MalformedWithoutParsing()
    {
        Assert.Equal(ReceiptStatus.Malformed, _service.Verify(new string('a', ReceiptService.MaxLength + 1)).Status);
    }

    /// <summary>A genuine receipt whose header is replaced (payload and signature kept).</summary>
    private string WithHeader(string headerJson)
    {
        var parts = _service.Issue(Output, "m", Issued, "r1").Split('.');
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + parts[1] + "." + parts[2];
    }
}
