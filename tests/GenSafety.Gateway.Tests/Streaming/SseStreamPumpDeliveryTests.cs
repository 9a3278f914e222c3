using System.ClientModel;
using System.ClientModel.Primitives;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GenSafety.Gateway.Streaming;
using OpenAI;
using OpenAI.Chat;

namespace GenSafety.Gateway.Tests.Streaming;

/// <summary>The pump against real pipes and a real OpenAI client: events reach the client as they arrive.</summary>
public class SseStreamPumpDeliveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_SlowPipeUpstream_EachEventWrittenBeforeTheNextArrives()
    {
        var upstream = new Pipe();
        var downstream = new RecordingWriteStream();
        var session = new PassThroughSession();
        Stream producer = upstream.Writer.AsStream();

        Task<SsePumpResult> pump = Task.Run(async () => await SseStreamPump.RunAsync(
            upstream.Reader.AsStream(), downstream, [session], new SsePumpOptions(), CancellationToken.None));

        var expected = new StringBuilder();
        for (int i = 0; i < 3; i++)
        {
            string sseEvent = $"data: {SseStreamPumpTests.Chunk($"t{i}")}\n\n";

            // Each event arrives in two pieces some time apart, as tokens do.
            await producer.WriteAsync(Encoding.UTF8.GetBytes(sseEvent[..20]));
            await producer.FlushAsync();
            await Task.Delay(20);
            await producer.WriteAsync(Encoding.UTF8.GetBytes(sseEvent[20..]));
            await producer.FlushAsync();

            Assert.True(await downstream.FlushSignal.WaitAsync(Timeout), $"event {i} was not flushed to the client");
            expected.Append(sseEvent);
            Assert.Equal(expected.ToString(), downstream.Flushes[^1]);
            Assert.False(pump.IsCompleted);
        }

        await producer.WriteAsync("data: [DONE]\n\n"u8.ToArray());
        await upstream.Writer.CompleteAsync();
        SsePumpResult result = await pump.WaitAsync(Timeout);

        Assert.Equal(SsePumpOutcome.Completed, result.Outcome);
        Assert.Equal(expected + "data: [DONE]\n\n", downstream.Text);
        Assert.True(result.UpstreamWaitTime >= TimeSpan.FromMilliseconds(40));
        Assert.True(result.TimeToFirstEvent < result.Duration);
        Assert.True(session.Disposed);
    }

    [Fact]
    public async Task RunAsync_OpenAIChatClient_ReadsContentThenContentFilterFinish()
    {
        string upstream = SseStreamPumpTests.Upstream(
            SseStreamPumpTests.Chunk("Hel"), SseStreamPumpTests.Chunk("lo"), SseStreamPumpTests.Chunk(" secret"));
        var handler = new PumpHandler(upstream, () => [new EndingSession(3, EndingSession.Blocked)]);
        var client = new ChatClient(
            "ref-model",
            new ApiKeyCredential("test-key"),
            new OpenAIClientOptions { Endpoint = new Uri("http://gateway.test/v1"), Transport = new HttpClientPipelineTransport(new HttpClient(handler)) });

        var text = new StringBuilder();
        ChatFinishReason? finishReason = null;
        string? id = null;
        await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finishReason ??= update.FinishReason;
            id = update.CompletionId;
        }

        Assert.Equal("Hello", text.ToString());
        Assert.Equal(ChatFinishReason.ContentFilter, finishReason);
        Assert.Equal("chatcmpl-1", id);
        Assert.Equal(SsePumpOutcome.EndedByTransform, (await handler.Result.WaitAsync(Timeout)).Outcome);
    }

    /// <summary>Answers every request by pumping a canned upstream stream through the given sessions.</summary>
    private sealed class PumpHandler(string upstream, Func<IStreamTransformSession[]> sessions) : HttpMessageHandler
    {
        private readonly TaskCompletionSource<SsePumpResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<SsePumpResult> Result => _result.Task;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = new Pipe();
            _ = Task.Run(async () =>
            {
                SsePumpResult result = await SseStreamPump.RunAsync(
                    new ChunkedReadStream(upstream, _ => 7), body.Writer.AsStream(), sessions(), new SsePumpOptions(), CancellationToken.None);
                await body.Writer.CompleteAsync();
                _result.SetResult(result);
            }, CancellationToken.None);

            var content = new StreamContent(body.Reader.AsStream());
            content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
