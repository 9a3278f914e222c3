using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Identity;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;
using GenSafety.Gateway.Tests.Streaming;
using Microsoft.AspNetCore.Http;

namespace GenSafety.Gateway.Tests.Enforcement.Admission;

/// <summary>What a stream is charged: the upstream's usage chunk when present, else one token per chunk with text.</summary>
public sealed class StreamedUsageTransformTests
{
    private static async Task<(TokenUsage? Usage, List<SseEvent> Forwarded)> RunAsync(bool admitted, params string[] chunks)
    {
        var context = new DefaultHttpContext();
        if (admitted)
        {
            var identity = new ClientIdentity("c", "t", "default", "k");
            context.Features.Set(new AdmissionReservation("r", identity, PolicyLimits.Unlimited, 0, 0, true, DateTimeOffset.UnixEpoch, "memory"));
        }

        var session = new StreamedUsageTransform().Begin(new StreamTransformContext(context, RouteKinds.ChatCompletions));
        var output = new CollectingStreamOutput();
        if (session is null)
        {
            return (null, output.Events);
        }

        foreach (var chunk in chunks)
        {
            await session.OnEventAsync(SseEvent.FromData(chunk), output, CancellationToken.None);
        }

        await session.OnCompletedAsync(output, CancellationToken.None);
        await session.DisposeAsync();
        return (context.Features.Get<TokenUsage>(), output.Events);
    }

    [Fact]
    public async Task UsageChunk_IsWhatIsCharged()
    {
        var (usage, forwarded) = await RunAsync(
            true,
            """{"choices":[{"delta":{"content":"Hel"}}]}""",
            """{"choices":[{"delta":{"content":"lo"}}]}""",
            """{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}""");

        Assert.Equal(new TokenUsage(9, 2), usage);
        Assert.Equal(3, forwarded.Count);
    }

    [Fact]
    public async Task WithoutUsage_OneTokenPerChunkWithText_CompactOrSpaced_ChatOrCompletions()
    {
        var (usage, forwarded) = await RunAsync(
            true,
            """{"choices":[{"delta":{"role":"assistant","content":""}}]}""",
            """{"choices":[{"delta":{"content":"a"}}]}""",
            """{"choices": [{"delta": {"content": "b"}}]}""",
            """{"choices":[{"text":"c","index":0}]}""",
            """{"choices":[{"delta":{"content":null},"finish_reason":"stop"}]}""",
            """{"choices":[{"delta":{},"finish_reason":"length"}]}""");

        Assert.Equal(new TokenUsage(0, 3), usage);
        Assert.Equal(6, forwarded.Count);
    }

    [Fact]
    public async Task AChunkMentioningUsageThatIsNotJson_CostsNothingAndIsForwarded()
    {
        var (usage, forwarded) = await RunAsync(true, """{"choices":[{"delta":{"content":"x"}}]}""", "\"usage\" {not json");

        Assert.Equal(new TokenUsage(0, 1), usage);
        Assert.Equal(2, forwarded.Count);
    }

    [Fact]
    public async Task NotAdmitted_NoSession()
    {
        var (usage, forwarded) = await RunAsync(false, """{"choices":[{"delta":{"content":"a"}}]}""");

        Assert.Null(usage);
        Assert.Empty(forwarded);
    }
}
