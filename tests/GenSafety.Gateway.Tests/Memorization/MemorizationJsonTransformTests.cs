using System.Net;
using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Tests.Infrastructure;
using GenSafety.Gateway.Tests.TestHosts;
using static GenSafety.Gateway.Tests.Memorization.MemorizationTestData;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary>The non-streamed output filter through a real gateway.</summary>
public sealed class MemorizationJsonTransformTests(SharedRedisFixture redis) : IClassFixture<SharedRedisFixture>
{
    internal const string Lead = "Here is what you asked for, as best I remember it: ";
    internal static readonly string Protected = Document(41, 2400);

    /// <summary>A lead-in followed by <paramref name="length"/> characters of the protected document.</summary>
    internal static string Quote(int start, int length) => string.Concat(Lead, Protected.AsSpan(start, length));

    internal static StringContent Chat(int n = 1, bool stream = false) => new(
        $$"""{"model":"m","messages":[{"role":"user","content":"Tell me a story."}],"n":{{n}},"stream":{{(stream ? "true" : "false")}}}""",
        Encoding.UTF8, "application/json");

    internal static StringContent Completion(int n = 1, bool stream = false) => new(
        $$"""{"model":"m","prompt":"Once upon a time","n":{{n}},"stream":{{(stream ? "true" : "false")}}}""", Encoding.UTF8, "application/json");

    private static async Task<(MemorizationUpstream, GatewayHost, HttpClient)> StartAsync(params string[] args)
    {
        var upstream = await MemorizationUpstream.StartAsync();
        var gateway = await GatewayHost.StartAsync(upstream.Url, [.. GatewayArgs, .. args]);
        await ProtectAsync(gateway, ("protected-novel", Protected), ("other", Document(42, 1000)));
        return (upstream, gateway, gateway.PublicWithKey(await gateway.CreateClientKeyAsync()));
    }

    [Theory]
    [InlineData("verbatim")]
    [InlineData("upper")]
    [InlineData("spacing")]
    [InlineData("homoglyphs")]
    public async Task Copy_AtThreshold_Blocked451_DocumentNotNamed(string variant)
    {
        var (upstream, gateway, client) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        upstream.Texts = [Lead + Variant(variant, Protected.Substring(300, 400))];

        var response = await client.PostAsync("/v1/chat/completions", Chat());

        var error = await ErrorAssert.IsOpenAIErrorAsync(response, (HttpStatusCode)451, "output_blocked");
        Assert.DoesNotContain("protected-novel", error.GetRawText());
    }

    [Fact]
    public async Task BenignText_AndShortQuote_PassUnchanged()
    {
        var (upstream, gateway, client) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        var benign = Document(43, 1500);
        var shortQuote = string.Concat(Lead, Protected.AsSpan(500, 90), " and that is all I recall.");
        upstream.Texts = [benign, shortQuote];

        var response = await client.PostAsync("/v1/chat/completions", Chat(n: 2));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var choices = json.RootElement.GetProperty("choices");
        Assert.Equal(benign, choices[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(shortQuote, choices[1].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choices[1].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Redact_NGreaterThanOne_OnlyTheCopyingChoiceEmptied()
    {
        var (upstream, gateway, client) = await StartAsync("--GenSafety:Memorization:NonStreamingAction=redact");
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        var benign = Document(44, 800);
        upstream.Texts = [benign, Quote(0, 160), benign];

        var chat = JsonDocument.Parse(await (await client.PostAsync("/v1/chat/completions", Chat(n: 3))).Content.ReadAsStringAsync());
        var completion = JsonDocument.Parse(await (await client.PostAsync("/v1/completions", Completion(n: 3))).Content.ReadAsStringAsync());

        var choices = chat.RootElement.GetProperty("choices");
        Assert.Equal(benign, choices[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("", choices[1].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("content_filter", choices[1].GetProperty("finish_reason").GetString());
        Assert.Equal("stop", choices[2].GetProperty("finish_reason").GetString());
        var texts = completion.RootElement.GetProperty("choices");
        Assert.Equal("", texts[1].GetProperty("text").GetString());
        Assert.Equal("content_filter", texts[1].GetProperty("finish_reason").GetString());
        Assert.Equal(benign, texts[2].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Completions_CopyInSecondChoice_Blocked()
    {
        var (upstream, gateway, client) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        upstream.Texts = ["A short benign answer.", Variant("upper", Protected.Substring(1000, 200))];

        var response = await client.PostAsync("/v1/completions", Completion(n: 2));

        await ErrorAssert.IsOpenAIErrorAsync(response, (HttpStatusCode)451, "output_blocked");
    }

    [Fact]
    public async Task Disabled_CopyPasses()
    {
        var (upstream, gateway, client) = await StartAsync("--GenSafety:Memorization:Enabled=false");
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        upstream.Texts = [Protected];

        var response = await client.PostAsync("/v1/chat/completions", Chat());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TwoReplicas_DocumentAddedOnOne_OtherBlocksIt()
    {
        var prefix = SharedRedisFixture.NewKeyPrefix();
        await using var upstream = await MemorizationUpstream.StartAsync();
        string[] args = ProtectedCorpusRedisTests.RedisArgs(redis, prefix);
        await using var a = await GatewayHost.StartAsync(upstream.Url, args);
        await using var b = await GatewayHost.StartAsync(upstream.Url, args);
        using var client = b.PublicWithKey(await a.CreateClientKeyAsync());
        upstream.Texts = [Quote(700, 300)];
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/chat/completions", Chat())).StatusCode);

        await ProtectAsync(a, ("protected-novel", Protected));

        Assert.True(await ProtectedCorpusRedisTests.EventuallyAsync(async () =>
            (await client.PostAsync("/v1/chat/completions", Chat())).StatusCode == (HttpStatusCode)451));
    }

    [Fact]
    public async Task DuplicateKeysInAChoice_Withheld502()
    {
        await using var upstream = await ScriptedUpstream.StartFixedAsync(
            """{"id":"r","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"a","content":"b"},"finish_reason":"stop"}]}""");
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, GatewayArgs);
        await ProtectAsync(gateway, ("protected-novel", Protected));
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var response = await client.PostAsync("/v1/chat/completions", Chat());

        await ErrorAssert.IsOpenAIErrorAsync(response, HttpStatusCode.BadGateway, "upstream_invalid_response");
    }
}
