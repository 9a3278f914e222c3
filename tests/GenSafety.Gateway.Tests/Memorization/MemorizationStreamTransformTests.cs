using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.AspNetCore.Http;
using static GenSafety.Gateway.Tests.Memorization.MemorizationJsonTransformTests;
using static GenSafety.Gateway.Tests.Memorization.MemorizationTestData;

namespace GenSafety.Gateway.Tests.Memorization;

/// <summary>The streamed output filter through a real gateway: what a client receives of a protected copy.</summary>
public sealed class MemorizationStreamTransformTests
{
    private static async Task<(MemorizationUpstream, GatewayHost, HttpClient)> StartAsync(params string[] args)
    {
        var upstream = await MemorizationUpstream.StartAsync();
        var gateway = await GatewayHost.StartAsync(upstream.Url, [.. GatewayArgs, .. args]);
        await ProtectAsync(gateway, ("protected-novel", Protected));
        return (upstream, gateway, gateway.PublicWithKey(await gateway.CreateClientKeyAsync()));
    }

    private static int NormalizedLength(string text) => TextNormalizer.Normalize(text, new TextNormalizerOptions()).Text.Length;

    [Theory]
    [InlineData("verbatim", 1)]
    [InlineData("verbatim", 7)]
    [InlineData("verbatim", 40)]
    [InlineData("upper", 7)]
    [InlineData("spacing", 5)]
    [InlineData("homoglyphs", 11)]
    public async Task Copy_StoppedBeforeThreshold_EndsWithContentFilterAndDone(string variant, int deltaChars)
    {
        var (upstream, gateway, client) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        var text = Lead + Variant(variant, Protected.Substring(200, 700));
        (upstream.Texts, upstream.DeltaChars) = ([text], deltaChars);

        var stream = SseTestStream.Parse(await (await client.PostAsync("/v1/chat/completions", Chat(stream: true))).Content.ReadAsStringAsync());

        var received = stream.Texts[0];
        Assert.StartsWith(received, text);
        Assert.True(received.Length > Lead.Length, "the benign lead-in and the start of the copy are forwarded");
        Assert.InRange(NormalizedLength(received[Lead.Length..]), 1, 149);
        Assert.Equal("content_filter", stream.FinishReasons[0]);
        Assert.Equal("output_blocked", stream.GensafetyCode);
        Assert.True(stream.Done);
        Assert.DoesNotContain("protected-novel", stream.Raw);
    }

    [Fact]
    public async Task Completions_Copy_Stopped()
    {
        var (upstream, gateway, client) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        var text = Quote(900, 400);
        upstream.Texts = [text];

        var stream = SseTestStream.Parse(await (await client.PostAsync("/v1/completions", Completion(stream: true))).Content.ReadAsStringAsync());

        Assert.StartsWith(stream.Texts[0], text);
        Assert.InRange(NormalizedLength(stream.Texts[0][Lead.Length..]), 1, 149);
        Assert.Equal("content_filter", stream.FinishReasons[0]);
        Assert.True(stream.Done);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Benign_PassesWhole(bool holdBack)
    {
        var (upstream, gateway, client) = await StartAsync($"--GenSafety:Memorization:HoldBack={holdBack}");
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        var benign = string.Concat(Document(45, 1200), " A short quote: ", Protected.AsSpan(40, 90));
        upstream.Texts = [benign, "Second answer."];

        var stream = SseTestStream.Parse(await (await client.PostAsync("/v1/chat/completions", Chat(n: 2, stream: true))).Content.ReadAsStringAsync());

        Assert.Equal(benign, stream.Texts[0]);
        Assert.Equal("Second answer.", stream.Texts[1]);
        Assert.Equal("stop", stream.FinishReasons[0]);
        Assert.Null(stream.GensafetyCode);
        Assert.True(stream.Done);
    }

    [Fact]
    public async Task NGreaterThanOne_CopyInSecondChoice_StreamStopped()
    {
        var (upstream, gateway, client) = await StartAsync();
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        var benign = Document(46, 1500);
        var copy = Lead + Variant("upper", Protected.Substring(1200, 600));
        upstream.Texts = [benign, copy];

        var stream = SseTestStream.Parse(await (await client.PostAsync("/v1/chat/completions", Chat(n: 2, stream: true))).Content.ReadAsStringAsync());

        Assert.StartsWith(stream.Texts[0], benign);
        Assert.StartsWith(stream.Texts[1], copy);
        Assert.InRange(NormalizedLength(stream.Texts[1][Lead.Length..]), 1, 149);
        Assert.Equal("content_filter", stream.FinishReasons[0]);
        Assert.Equal("content_filter", stream.FinishReasons[1]);
        Assert.True(stream.Done);
    }

    [Theory]
    [InlineData("verbatim")]
    [InlineData("homoglyphs")]
    public async Task HoldBack_NothingOfTheCopyIsSent(string variant)
    {
        var (upstream, gateway, client) = await StartAsync("--GenSafety:Memorization:HoldBack=true");
        await using var _ = upstream;
        await using var __ = gateway;
        using var ___ = client;
        var lead = Document(47, 600) + " ";
        var text = lead + Variant(variant, Protected.Substring(300, 500));
        upstream.Texts = [text];

        var stream = SseTestStream.Parse(await (await client.PostAsync("/v1/chat/completions", Chat(stream: true))).Content.ReadAsStringAsync());

        var received = stream.Texts[0];
        Assert.StartsWith(received, lead);
        Assert.True(received.Length > 300, $"the lead-in is released a window behind ({received.Length} characters)");
        Assert.Equal("content_filter", stream.FinishReasons[0]);
        Assert.True(stream.Done);
    }

    [Fact]
    public async Task DuplicateKeysInAChunk_StreamEndsWithAnError()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"id\":\"r\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\",\"content\":\"b\"}}]}\n\n");
            await context.Response.WriteAsync("data: [DONE]\n\n");
        });
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, GatewayArgs);
        await ProtectAsync(gateway, ("protected-novel", Protected));
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var stream = SseTestStream.Parse(await (await client.PostAsync("/v1/chat/completions", Chat(stream: true))).Content.ReadAsStringAsync());

        Assert.Equal("upstream_invalid_response", stream.GensafetyCode);
        Assert.Equal("content_filter", stream.FinishReasons[0]);
        Assert.True(stream.Done);
        Assert.DoesNotContain(stream.Texts.Values, t => t.Length > 0);
    }
}
