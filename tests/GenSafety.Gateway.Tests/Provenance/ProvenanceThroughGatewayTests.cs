using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Gateway.Provenance;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using GenSafety.Watermarking.Corpus;
using GenSafety.Watermarking.Keys;
using Microsoft.Extensions.DependencyInjection;
using static GenSafety.Gateway.Tests.Provenance.ProvenanceTestHelpers;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>
/// Provenance end to end on real Redis against the reference model (default scheme <c>lexical</c>): non-streamed and
/// streamed responses carry the mark, a receipt and a ledger record; <c>/v1/verify/text</c> says produced for them
/// (also after light edits, through the ledger's near-duplicate search) and not produced for human text; altered
/// receipts and receipts under unknown keys are rejected.
/// </summary>
public sealed class ProvenanceThroughGatewayTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>, IAsyncLifetime
{
    private readonly string _prefix = SharedRedisFixture.NewKeyPrefix();
    private readonly string _tenant = SharedRedisFixture.NewId("wm");
    private ReferenceModelHost _model = null!;
    private GatewayHost _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _model = await ReferenceModelHost.StartAsync();
        _gateway = await GatewayHost.StartAsync(_model.Url, Args(redis, _prefix));
        _client = _gateway.PublicWithKey(await _gateway.CreateClientKeyAsync(tenant: _tenant));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
        await _model.DisposeAsync();
    }

    private ProvenanceSchemes Schemes => _gateway.Services.GetRequiredService<ProvenanceSchemes>();

    private WatermarkKey LexicalKey => Schemes.KeyRing!.Current(_tenant, KeyPurpose.Lexical);

    // Marked text is a fixed point of the mark, and every scored position holds the keyed preferred word.
    private void AssertLexicallyMarked(string text)
    {
        var result = Schemes.Lexical!.Detect(text, LexicalKey);
        Assert.True(result.Scored > 0, "no lexicon word in: " + text);
        Assert.Equal(result.Scored, result.Hits);
        Assert.Equal(text, Schemes.Lexical.Mark(text, LexicalKey));
    }

    [Fact]
    public async Task NonStreaming_MarkedWithReceiptAndLedgerRecord_VerifiesProduced()
    {
        var (text, receipt) = await ChatAsync(_client, Chat("Tell me about the history of the sea and ships", 200));

        AssertLexicallyMarked(text);
        Assert.Equal(3, receipt.Split('.').Length);
        var verification = await VerifyAsync(_client, text, receipt);
        Assert.Equal("produced", Verdict(verification));
        var recordId = Evidence(verification, "receipt").GetProperty("record_id").GetString()!;
        Assert.Equal("valid", Evidence(verification, "receipt").GetProperty("detail").GetString());
        Assert.Equal(recordId, Evidence(verification, "exact_hash").GetProperty("record_id").GetString());

        var db = redis.Connection.GetDatabase();
        var record = await db.HashGetAllAsync($"{_prefix}:prov:rec:{recordId}");
        Assert.Equal(LexicalKey.Kid, record.Single(e => e.Name == "k").Value.ToString());
        Assert.Equal("lexical", record.Single(e => e.Name == "s").Value.ToString());
        var ttl = await db.KeyTimeToLiveAsync($"{_prefix}:prov:rec:{recordId}");
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(89), TimeSpan.FromDays(90));
    }

    [Fact]
    public async Task Verify_LightlyEditedOutput_ProducedThroughLedgerNearDuplicate()
    {
        var (text, _) = await ChatAsync(_client, Chat("Write about winter in the mountains", 200, seed: 7));
        var words = text.Split(' ');
        Assert.True(words.Length > 60, text);
        words[words.Length / 3] = "zebra";
        words[2 * words.Length / 3] = words[2 * words.Length / 3].ToUpperInvariant();
        var edited = string.Join(' ', words.Where((_, i) => i != words.Length / 2));

        var verification = await VerifyAsync(_client, edited);

        Assert.Equal("produced", Verdict(verification));
        Assert.DoesNotContain(verification.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("method").GetString() == "exact_hash");
        var nearDuplicate = Evidence(verification, "ledger_near_duplicate");
        Assert.True(nearDuplicate.GetProperty("score").GetDouble() >= nearDuplicate.GetProperty("threshold").GetDouble(), nearDuplicate.ToString());
        Assert.StartsWith("rec_", nearDuplicate.GetProperty("record_id").GetString());
    }

    [Fact]
    public async Task Verify_HumanText_NotProduced()
    {
        foreach (var document in ShippedText.HumanDocuments.Take(5))
        {
            var verification = await VerifyAsync(_client, document);

            Assert.Equal("not_produced", Verdict(verification));
            Assert.True(verification.GetProperty("p_value").GetDouble() > 1e-3, verification.ToString());
            Assert.True(Evidence(verification, "ledger_near_duplicate").GetProperty("score").GetDouble() < 0.5);
        }
    }

    [Fact]
    public async Task Streaming_OptInReceiptEventBeforeDone_MarkedTextVerifies()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Json(Chat("Tell me a story about a lighthouse keeper", 200, stream: true)) };
        request.Headers.Add("x-gensafety-receipt-event", "true");
        using var response = await _client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.False(response.Headers.Contains("x-gensafety-receipt"));

        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1].Trim());
        var receiptEvent = events[^2];
        Assert.StartsWith("event: gensafety.receipt\n", receiptEvent, StringComparison.Ordinal);
        var receipts = JsonNode.Parse(receiptEvent.Split("data: ", 2)[1])!["receipts"]!.AsArray();
        var receipt = receipts.Single()!["receipt"]!.GetValue<string>();
        var text = new StringBuilder();
        foreach (var e in events[..^2])
        {
            var chunk = JsonNode.Parse(e.Split("data: ", 2)[1])!;
            text.Append(chunk["choices"]!.AsArray().Select(c => c!["delta"]?["content"]?.GetValue<string>()).FirstOrDefault());
        }

        AssertLexicallyMarked(text.ToString());
        var verification = await VerifyAsync(_client, text.ToString(), receipt);
        Assert.Equal("produced", Verdict(verification));
        Assert.Equal("valid", Evidence(verification, "receipt").GetProperty("detail").GetString());
        Assert.Equal(receipts.Single()!["record_id"]!.GetValue<string>(), Evidence(verification, "exact_hash").GetProperty("record_id").GetString());
    }

    [Fact]
    public async Task Streaming_WithoutOptIn_NoReceiptEvent_StillRecorded()
    {
        using var response = await _client.PostAsync("/v1/chat/completions", Json(Chat("Describe a quiet morning in a small town", 120, stream: true)));
        var body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("gensafety.receipt", body, StringComparison.Ordinal);
        var text = string.Concat(body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: {", StringComparison.Ordinal))
            .Select(e => JsonNode.Parse(e[6..])!["choices"]!.AsArray().Select(c => c!["delta"]?["content"]?.GetValue<string>()).FirstOrDefault()));
        AssertLexicallyMarked(text);
        Assert.Equal("produced", Verdict(await VerifyAsync(_client, text)));
    }

    [Fact]
    public async Task Verify_AlteredReceipt_Rejected_UnknownKid_Rejected_OtherText_Mismatch()
    {
        var (text, receipt) = await ChatAsync(_client, Chat("Explain how rivers reach the sea", 60));
        var parts = receipt.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        payload["mdl"] = "another-model";
        var altered = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        header["kid"] = "r.99999999";
        var unknownKid = $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{parts[1]}.{parts[2]}";

        var alteredCheck = Evidence(await VerifyAsync(_client, text, altered), "receipt");
        var unknownCheck = Evidence(await VerifyAsync(_client, text, unknownKid), "receipt");
        var mismatchCheck = Evidence(await VerifyAsync(_client, "A text the gateway never produced, written by hand.", receipt), "receipt");

        Assert.Equal(("bad_signature", 0.0), (alteredCheck.GetProperty("detail").GetString(), alteredCheck.GetProperty("score").GetDouble()));
        Assert.Equal(("unknown_key", 0.0), (unknownCheck.GetProperty("detail").GetString(), unknownCheck.GetProperty("score").GetDouble()));
        Assert.Equal(("output_mismatch", 0.0), (mismatchCheck.GetProperty("detail").GetString(), mismatchCheck.GetProperty("score").GetDouble()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Completions_MarkedAndRecorded(bool stream)
    {
        var body = JsonSerializer.Serialize(new
        {
            model = "reference-ngram",
            prompt = "The history of the sea",
            max_tokens = 150,
            temperature = 1.0,
            // Seeded: an unseeded sample may hold no lexicon word at all, and the assertions need one.
            seed = 11,
            stream,
            logit_bias = new Dictionary<string, int> { ["100257"] = -100 },
        });
        using var response = await _client.PostAsync("/v1/completions", Json(body));
        var raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, raw);

        var text = stream
            ? string.Concat(raw.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
                .Where(e => e.StartsWith("data: {", StringComparison.Ordinal))
                .Select(e => JsonNode.Parse(e[6..])!["choices"]!.AsArray().Select(c => c!["text"]?.GetValue<string>()).FirstOrDefault()))
            : JsonNode.Parse(raw)!["choices"]![0]!["text"]!.GetValue<string>();
        AssertLexicallyMarked(text);
        Assert.Equal(!stream, response.Headers.Contains("x-gensafety-receipt"));
        Assert.Equal("produced", Verdict(await VerifyAsync(_client, text)));
    }

    [Theory]
    [InlineData("{}", "text")]
    [InlineData("{\"text\":\"\"}", "text")]
    [InlineData("{\"text\":42}", "text")]
    [InlineData("{\"text\":\"ok\",\"receipt\":7}", "receipt")]
    [InlineData("[1,2]", null)]
    [InlineData("{\"text\":", null)]
    public async Task Verify_BadInput_400(string body, string? param)
    {
        using var response = await _client.PostAsync("/v1/verify/text", Json(body));

        var error = await ErrorAssert.IsOpenAIErrorAsync(response, System.Net.HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Verify_WithoutKey_401()
    {
        using var response = await _gateway.Public.PostAsync("/v1/verify/text", Json("{\"text\":\"hello\"}"));

        await ErrorAssert.IsOpenAIErrorAsync(response, System.Net.HttpStatusCode.Unauthorized, "invalid_api_key");
    }
}
