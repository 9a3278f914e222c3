using System.Text;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;

namespace GenSafety.Gateway.Tests.Streaming;

public class SseStreamPumpTests
{
    private const string BlockedJson = "\"gensafety\":{\"code\":\"output_blocked\",\"message\":\"The output reproduces protected text.\",\"transform\":\"leak-filter\"}";

    [Fact]
    public async Task RunAsync_NoSessions_ForwardsEventsThenDone()
    {
        string upstream = Upstream(Chunk("a"), Chunk("b"), Chunk("c"));

        (SsePumpResult result, string client) = await PumpAsync(upstream);

        Assert.Equal(upstream, client);
        Assert.Equal(SsePumpOutcome.Completed, result.Outcome);
        Assert.True(result.UpstreamCompleted);
        Assert.Equal(3, result.EventsIn);
        Assert.Equal(3, result.EventsOut);
        Assert.Null(result.ErrorCode);
        Assert.Null(result.EndReason);
        Assert.False(result.ClientDisconnected);
        Assert.NotNull(result.TimeToFirstEvent);
    }

    [Fact]
    public async Task RunAsync_PassThroughChain_EverySessionSeesEventsInOrder()
    {
        string[] chunks = [Chunk("a"), Chunk("b"), Chunk("c"), Chunk("d")];
        PassThroughSession[] sessions = [new(), new(), new()];

        (SsePumpResult result, string client) = await PumpAsync(Upstream(chunks), sessions: sessions);

        Assert.Equal(Upstream(chunks), client);
        Assert.All(sessions, s => Assert.Equal(chunks, s.Seen.ConvertAll(e => e.Data)));
        Assert.All(sessions, s => Assert.True(s.Completed));
        Assert.Equal(SsePumpOutcome.Completed, result.Outcome);
    }

    [Fact]
    public async Task RunAsync_Rewriter_ClientSeesRewrittenData()
    {
        var rewriter = new RewritingSession(data => data.Replace("secret", "******", StringComparison.Ordinal));

        (_, string client) = await PumpAsync(Upstream(Chunk("a secret"), Chunk("b")), sessions: rewriter);

        Assert.Equal(Upstream(Chunk("a ******"), Chunk("b")), client);
    }

    [Fact]
    public async Task RunAsync_HoldBack_ReleasedOnCompletionThroughLaterSessions()
    {
        var rewriter = new RewritingSession(data => data.Replace("qq", "zz", StringComparison.Ordinal));
        int rewriterSawBeforeRelease = -1;
        var holdBack = new HoldBackSession { OnReleasing = () => rewriterSawBeforeRelease = rewriter.Seen.Count };

        (SsePumpResult result, string client) = await PumpAsync(Upstream(Chunk("qq1"), Chunk("qq2")), sessions: [holdBack, rewriter]);

        Assert.Equal(0, rewriterSawBeforeRelease);
        Assert.Equal(Upstream(Chunk("zz1"), Chunk("zz2")), client);
        Assert.Equal(2, result.EventsOut);
    }

    [Fact]
    public async Task RunAsync_EndInChat_ContentFilterChunkThenDoneAndStopsReading()
    {
        var ender = new EndingSession(2, EndingSession.Blocked) { WriteAfterEnd = true };
        var later = new PassThroughSession();
        var upstream = new ChunkedReadStream(Upstream(Chunk("a"), Chunk("b"), Chunk("c")), _ => 20);

        (SsePumpResult result, string client) = await PumpAsync(upstream, sessions: [ender, later]);

        string final = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"ref-model\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"content_filter\"}]," + BlockedJson + "}";
        Assert.Equal($"data: {Chunk("a")}\n\ndata: {final}\n\ndata: [DONE]\n\n", client);
        Assert.Equal(SsePumpOutcome.EndedByTransform, result.Outcome);
        Assert.Same(EndingSession.Blocked, result.EndReason);
        Assert.Equal(2, result.EventsIn);
        Assert.Equal(1, result.EventsOut);
        Assert.Single(later.Seen);
        Assert.False(later.Completed);
        Assert.True(upstream.BytesServed < Encoding.UTF8.GetByteCount(Upstream(Chunk("a"), Chunk("b"), Chunk("c"))));
    }

    [Fact]
    public async Task RunAsync_EndInCompletions_TextCompletionChunk()
    {
        string chunk = "{\"id\":\"cmpl-9\",\"object\":\"text_completion\",\"created\":1700000001,\"model\":\"m\\u00e9\","
            + "\"choices\":[{\"text\":\"a\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}";
        var ender = new EndingSession(2, EndingSession.Blocked);

        (_, string client) = await PumpAsync(Upstream(chunk, chunk), RouteKinds.Completions, ender);

        string final = "{\"id\":\"cmpl-9\",\"object\":\"text_completion\",\"created\":1700000001,\"model\":\"m\\u00E9\","
            + "\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"content_filter\",\"logprobs\":null}]," + BlockedJson + "}";
        Assert.Equal($"data: {chunk}\n\ndata: {final}\n\ndata: [DONE]\n\n", client);
    }

    [Fact]
    public async Task RunAsync_EndWithSeveralChoices_OneChoicePerIndexSeen()
    {
        var ender = new EndingSession(4, EndingSession.Blocked);

        (_, string client) = await PumpAsync(Upstream(Chunk("a", 0), Chunk("b", 1), Chunk("c", 0), Chunk("d", 2)), sessions: ender);

        Assert.Contains(
            "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"content_filter\"},"
            + "{\"index\":1,\"delta\":{},\"finish_reason\":\"content_filter\"},"
            + "{\"index\":2,\"delta\":{},\"finish_reason\":\"content_filter\"}]",
            client,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_EndOnCompletionWithoutChunks_FallbackMetadata()
    {
        var ender = new EndingSession(1, EndingSession.Blocked) { EndOnCompletion = true };
        var options = new SsePumpOptions { TimeProvider = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1234)) };

        (SsePumpResult result, string client) = await PumpAsync(new ChunkedReadStream("data: [DONE]\n\n"), options, ender);

        string final = "{\"id\":\"\",\"object\":\"chat.completion.chunk\",\"created\":1234,\"model\":\"\","
            + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"content_filter\"}]," + BlockedJson + "}";
        Assert.Equal($"data: {final}\n\ndata: [DONE]\n\n", client);
        Assert.True(result.UpstreamCompleted);
        Assert.Equal(SsePumpOutcome.EndedByTransform, result.Outcome);
    }

    [Fact]
    public async Task RunAsync_EndAfterHoldBack_HeldEventsDropped()
    {
        var holdBack = new HoldBackSession();
        var ender = new EndingSession(1, EndingSession.Blocked);

        (SsePumpResult result, string client) = await PumpAsync(Upstream(Chunk("a"), Chunk("b")), sessions: [ender, holdBack]);

        Assert.DoesNotContain("\"content\":\"a\"", client, StringComparison.Ordinal);
        Assert.Contains("content_filter", client, StringComparison.Ordinal);
        Assert.Equal(0, result.EventsOut);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"a\":")]
    [InlineData("{\"a\":1} {}")]
    [InlineData("[1,2]")]
    [InlineData("123")]
    [InlineData("")]
    [InlineData("[DONE] ")]
    public async Task RunAsync_DataNotJsonObject_InvalidResponseErrorThenDone(string garbage)
    {
        var session = new PassThroughSession();

        (SsePumpResult result, string client) = await PumpAsync($"data: {Chunk("a")}\n\ndata: {garbage}\n\n" + Upstream(Chunk("b")), sessions: session);

        Assert.Equal(
            $"data: {Chunk("a")}\n\n" + ErrorEvent("The upstream sent an event whose data is not a JSON object.", "upstream_invalid_response"),
            client);
        Assert.Equal(SsePumpOutcome.UpstreamError, result.Outcome);
        Assert.Equal(SseStreamErrorCodes.UpstreamInvalidResponse, result.ErrorCode);
        Assert.Single(session.Seen);
        Assert.False(session.Completed);
    }

    [Fact]
    public async Task RunAsync_DoneWithEventType_NotTreatedAsDone()
    {
        (SsePumpResult result, _) = await PumpAsync("event: x\ndata: [DONE]\n\n");

        Assert.Equal(SseStreamErrorCodes.UpstreamInvalidResponse, result.ErrorCode);
    }

    public static TheoryData<Exception, string> ReadFailures => new()
    {
        { new IOException("Connection reset by peer."), SseStreamErrorCodes.UpstreamReadFailed },
        { new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely."), SseStreamErrorCodes.UpstreamReadFailed },
        { new ObjectDisposedException("stream"), SseStreamErrorCodes.UpstreamReadFailed },
        { new TaskCanceledException("Activity timeout."), SseStreamErrorCodes.UpstreamTimeout },
    };

    [Theory]
    [MemberData(nameof(ReadFailures))]
    public async Task RunAsync_UpstreamReadFailsMidStream_EventsDeliveredThenErrorEvent(Exception failure, string code)
    {
        var upstream = new ChunkedReadStream($"data: {Chunk("a")}\n\ndata: {Chunk("b")}\n\n") { FailAtEnd = failure };
        var session = new PassThroughSession();

        (SsePumpResult result, string client) = await PumpAsync(upstream, sessions: session);

        Assert.StartsWith($"data: {Chunk("a")}\n\ndata: {Chunk("b")}\n\ndata: {{\"error\":{{", client, StringComparison.Ordinal);
        Assert.EndsWith($"\"type\":\"upstream_error\",\"code\":\"{code}\",\"param\":null}}}}\n\ndata: [DONE]\n\n", client, StringComparison.Ordinal);
        Assert.DoesNotContain(failure.Message, client, StringComparison.Ordinal);
        Assert.Equal(SsePumpOutcome.UpstreamError, result.Outcome);
        Assert.Equal(code, result.ErrorCode);
        Assert.Same(failure, result.Error);
        Assert.False(result.ClientDisconnected);
    }

    [Theory]
    [InlineData("data: {}\n\n", "The upstream stream ended without [DONE].")]
    [InlineData("data: {}\n\ndata: {\"a\"", "The upstream stream ended in the middle of an event.")]
    [InlineData("data: {}\n\ndata: {}\n", "The upstream stream ended in the middle of an event.")]
    public async Task RunAsync_UpstreamEndsWithoutDone_TruncatedError(string upstream, string message)
    {
        (SsePumpResult result, string client) = await PumpAsync(upstream);

        Assert.Equal("data: {}\n\n" + ErrorEvent(message, "upstream_truncated"), client);
        Assert.Equal(SseStreamErrorCodes.UpstreamTruncated, result.ErrorCode);
        Assert.False(result.UpstreamCompleted);
    }

    [Fact]
    public async Task RunAsync_UpstreamEventTooLarge_TooLargeError()
    {
        var options = new SsePumpOptions { ReaderOptions = new SseReaderOptions { MaxEventBytes = 100 } };

        (SsePumpResult result, string client) = await PumpAsync(new ChunkedReadStream(Upstream("{\"a\":\"" + new string('x', 200) + "\"}")), options);

        Assert.Equal(ErrorEvent("An event in the stream is larger than the limit of 100 bytes.", "upstream_event_too_large"), client);
        Assert.Equal(SseStreamErrorCodes.UpstreamEventTooLarge, result.ErrorCode);
    }

    [Fact]
    public async Task RunAsync_UpstreamInvalidUtf8_InvalidResponseError()
    {
        byte[] bytes = [.. "data: {\"a\":\""u8, 0xC3, 0x28, .. "\"}\n\n"u8];

        (SsePumpResult result, string client) = await PumpAsync(new ChunkedReadStream(bytes));

        Assert.Equal(ErrorEvent("The event stream contains invalid UTF-8.", "upstream_invalid_response"), client);
        Assert.Equal(SseStreamErrorCodes.UpstreamInvalidResponse, result.ErrorCode);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public async Task RunAsync_SessionThrows_GatewayErrorThenDone(int throwOn)
    {
        var first = new PassThroughSession();
        var thrower = new ThrowingSession(throwOn);
        var last = new PassThroughSession();

        (SsePumpResult result, string client) = await PumpAsync(Upstream(Chunk("a"), Chunk("b"), Chunk("c")), sessions: [first, thrower, last]);

        string delivered = throwOn == 2 ? $"data: {Chunk("a")}\n\n" : $"data: {Chunk("a")}\n\ndata: {Chunk("b")}\n\ndata: {Chunk("c")}\n\n";
        string error = "data: {\"error\":{\"message\":\"The gateway failed while processing the stream.\",\"type\":\"server_error\","
            + "\"code\":\"gateway_error\",\"param\":null}}\n\ndata: [DONE]\n\n";
        Assert.Equal(delivered + error, client);
        Assert.Equal(SsePumpOutcome.TransformError, result.Outcome);
        Assert.Equal(SseStreamErrorCodes.GatewayError, result.ErrorCode);
        Assert.Same(ThrowingSession.Failure, result.Error);
        Assert.False(last.Completed);
    }

    [Fact]
    public async Task RunAsync_SessionWritesUnwritableEvent_GatewayErrorNotDisconnect()
    {
        (SsePumpResult result, string client) = await PumpAsync(Upstream(Chunk("a")), sessions: new BadFieldSession());

        Assert.DoesNotContain("injected", client, StringComparison.Ordinal);
        Assert.Equal(SsePumpOutcome.TransformError, result.Outcome);
        Assert.IsType<ArgumentException>(result.Error);
    }

    [Fact]
    public async Task RunAsync_CommentsAndKeepAlives_ForwardedDirectlyInOrder()
    {
        var holdBack = new HoldBackSession();
        string upstream = $": ping\n\ndata: {Chunk("a")}\n\n:\n\ndata: [DONE]\n\n";

        (SsePumpResult result, string client) = await PumpAsync(upstream, sessions: holdBack);

        Assert.Equal($": ping\n\n: \n\ndata: {Chunk("a")}\n\ndata: [DONE]\n\n", client);
        Assert.Single(holdBack.Seen);
        Assert.Equal(2, result.CommentsOut);
        Assert.Equal(1, result.EventsIn);
    }

    [Fact]
    public async Task RunAsync_RogueSession_OwnDoneAndLateWritesDropped()
    {
        (SsePumpResult result, string client) = await PumpAsync(Upstream(Chunk("a")), sessions: new RogueSession());

        Assert.Equal(Upstream(Chunk("a")), client);
        Assert.Equal(SsePumpOutcome.Completed, result.Outcome);
    }

    [Fact]
    public async Task RunAsync_SessionDisposeThrows_OthersStillDisposed()
    {
        var failing = new FailingDisposeSession();
        var other = new PassThroughSession();

        (SsePumpResult result, _) = await PumpAsync(Upstream(Chunk("a")), sessions: [failing, other]);

        Assert.True(other.Disposed);
        Assert.Equal(SsePumpOutcome.Completed, result.Outcome);
    }

    [Fact]
    public async Task RunAsync_ClientCancels_StopsReadingAndDisposesSessions()
    {
        var upstream = new ChunkedReadStream($"data: {Chunk("a")}\n\n") { HangAtEnd = true };
        var downstream = new RecordingWriteStream();
        var session = new PassThroughSession();
        using var clientAborted = new CancellationTokenSource();

        ValueTask<SsePumpResult> pump = SseStreamPump.RunAsync(upstream, downstream, [session], new SsePumpOptions(), clientAborted.Token);
        await downstream.FirstFlush.WaitAsync(TimeSpan.FromSeconds(10));
        await clientAborted.CancelAsync();
        SsePumpResult result = await pump.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.ClientDisconnected);
        Assert.Equal(SsePumpOutcome.ClientDisconnected, result.Outcome);
        Assert.Equal($"data: {Chunk("a")}\n\n", downstream.Text);
        Assert.True(session.Disposed);
        Assert.False(session.Completed);
    }

    [Fact]
    public async Task RunAsync_ClientWriteFails_DisconnectedWithoutErrorEventOrThrow()
    {
        var upstream = new ChunkedReadStream(Upstream(Chunk("a"), Chunk("b"), Chunk("c"), Chunk("d")), _ => 1);
        var downstream = new RecordingWriteStream { FailOnWrite = 2 };
        var session = new PassThroughSession();

        SsePumpResult result = await SseStreamPump.RunAsync(upstream, downstream, [session], new SsePumpOptions(), CancellationToken.None);

        Assert.Equal(SsePumpOutcome.ClientDisconnected, result.Outcome);
        Assert.IsType<IOException>(result.Error);
        Assert.Equal($"data: {Chunk("a")}\n\n", downstream.Text);
        Assert.Equal(2, result.EventsIn);
        Assert.True(session.Disposed);
    }

    [Fact]
    public async Task RunAsync_ClientGoneWhileForwardingComment_Disconnected()
    {
        var downstream = new RecordingWriteStream { FailOnWrite = 1 };

        SsePumpResult result = await SseStreamPump.RunAsync(
            new ChunkedReadStream(": ping\n\n" + Upstream(Chunk("a"))), downstream, [], new SsePumpOptions(), CancellationToken.None);

        Assert.Equal(SsePumpOutcome.ClientDisconnected, result.Outcome);
        Assert.Equal(0, result.EventsIn);
    }

    [Fact]
    public async Task RunAsync_NullArgument_Throws()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(
            async () => await SseStreamPump.RunAsync(new MemoryStream(), new MemoryStream(), [], null!, CancellationToken.None));
    }

    internal static string Chunk(string content, int index = 0) =>
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"ref-model\","
        + $"\"choices\":[{{\"index\":{index},\"delta\":{{\"content\":\"{content}\"}},\"finish_reason\":null}}]}}";

    internal static string Upstream(params string[] data) =>
        string.Concat(Array.ConvertAll(data, d => $"data: {d}\n\n")) + "data: [DONE]\n\n";

    private static string ErrorEvent(string message, string code) =>
        $"data: {{\"error\":{{\"message\":\"{message}\",\"type\":\"upstream_error\",\"code\":\"{code}\",\"param\":null}}}}\n\ndata: [DONE]\n\n";

    private static Task<(SsePumpResult Result, string Client)> PumpAsync(
        string upstream, string routeKind = RouteKinds.ChatCompletions, params IStreamTransformSession[] sessions) =>
        PumpAsync(new ChunkedReadStream(upstream), new SsePumpOptions { RouteKind = routeKind }, sessions);

    private static Task<(SsePumpResult Result, string Client)> PumpAsync(Stream upstream, params IStreamTransformSession[] sessions) =>
        PumpAsync(upstream, new SsePumpOptions(), sessions);

    private static async Task<(SsePumpResult Result, string Client)> PumpAsync(
        Stream upstream, SsePumpOptions options, params IStreamTransformSession[] sessions)
    {
        var downstream = new RecordingWriteStream();
        SsePumpResult result = await SseStreamPump.RunAsync(upstream, downstream, sessions, options, CancellationToken.None);

        foreach (IStreamTransformSession session in sessions)
        {
            Assert.True(((PassThroughSession)session).Disposed);
        }

        // Every write is followed by its own flush, and nothing is written after [DONE].
        Assert.Equal(downstream.Text, downstream.Flushes.Count == 0 ? string.Empty : downstream.Flushes[^1]);
        Assert.EndsWith("data: [DONE]\n\n", downstream.Text, StringComparison.Ordinal);
        return (result, downstream.Text);
    }
}
