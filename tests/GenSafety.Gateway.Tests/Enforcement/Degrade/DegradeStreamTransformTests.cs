using System.Text.Json.Nodes;
using GenSafety.Gateway.Enforcement.Degrade;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;
using GenSafety.Gateway.Tests.Streaming;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Enforcement.Degrade;

public sealed class DegradeStreamTransformTests
{
    private const string ChatRequest = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}],"stream":true,"logprobs":true,"top_logprobs":1}""";

    private const string RoleChunk = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1720000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""";

    private const string PlainChunk = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1720000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}""";

    private const string ChatChunk = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1720000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":{"content":[{"token":"Hello","logprob":-0.31326166,"bytes":[72,101,108,108,111],"top_logprobs":[{"token":"Hello","logprob":-0.31326166,"bytes":[72,101,108,108,111]},{"token":"Hi","logprob":-1.3132616,"bytes":[72,105]}]}],"refusal":null},"finish_reason":null}]}""";

    private const string ChatChunkDegraded = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1720000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":{"content":[{"token":"Hello","logprob":-0.5,"bytes":[72,101,108,108,111],"top_logprobs":[{"token":"Hello","logprob":-0.5,"bytes":[72,101,108,108,111]}]}],"refusal":null},"finish_reason":null}]}""";

    private const string CompletionChunk = """{"id":"cmpl-1","object":"text_completion","created":1720000000,"choices":[{"text":" cat","index":0,"logprobs":{"tokens":[" cat"],"token_logprobs":[-0.26],"top_logprobs":[{" dog":-2.0," cat":-0.26}],"text_offset":[7]},"finish_reason":null}],"model":"davinci-002"}""";

    private const string CompletionChunkDegraded = """{"id":"cmpl-1","object":"text_completion","created":1720000000,"choices":[{"text":" cat","index":0,"logprobs":{"tokens":[" cat"],"token_logprobs":[-0.5],"top_logprobs":[{" cat":-0.5}],"text_offset":[7]},"finish_reason":null}],"model":"davinci-002"}""";

    [Theory]
    [InlineData(RouteKinds.ChatCompletions, true, true)]
    [InlineData(RouteKinds.Completions, true, true)]
    [InlineData(RouteKinds.ChatCompletions, false, false)]
    [InlineData(RouteKinds.Embeddings, true, false)]
    [InlineData(RouteKinds.Other, true, false)]
    public void Begin_OnlyForDegradedChatAndCompletions(string routeKind, bool degrades, bool expected)
    {
        var outcome = degrades ? DegradeTestData.Degrading() : new EnforcementOutcome(EnforcementLevel.ProofOfWork, 0.9, 0, EnforcementActions.ProofOfWork);

        var session = Transform().Begin(new StreamTransformContext(DegradeTestData.Context(outcome), routeKind));

        Assert.Equal(expected, session is not null);
    }

    [Fact]
    public void Begin_WithoutOutcome_ReturnsNull()
    {
        Assert.Null(Transform().Begin(new StreamTransformContext(DegradeTestData.Context(null), RouteKinds.ChatCompletions)));
    }

    [Theory]
    [InlineData(RouteKinds.ChatCompletions, ChatRequest, true)]
    [InlineData(RouteKinds.ChatCompletions, """{"model":"m","messages":[],"stream":true,"logprobs":false}""", false)]
    [InlineData(RouteKinds.Completions, """{"model":"m","prompt":"p","stream":true,"logprobs":2}""", true)]
    [InlineData(RouteKinds.Completions, """{"model":"m","prompt":"p","stream":true,"logprobs":null}""", false)]
    public void Begin_AnnouncesQuantizationWhenLogprobsAreAsked(string routeKind, string requestBody, bool announced)
    {
        using var request = DegradeTestData.Request(routeKind, requestBody);
        var httpContext = DegradeTestData.Context(DegradeTestData.Degrading(), request);

        Assert.NotNull(Transform().Begin(new StreamTransformContext(httpContext, routeKind)));

        Assert.Equal(announced ? "logprobs_quantized" : "", httpContext.Response.Headers[DegradedHeader.Name].ToString());
    }

    [Fact]
    public async Task Chat_ChunksWithLogprobsAreDegraded_OthersPassAsTheSameEvent()
    {
        SseEvent role = SseEvent.FromData(RoleChunk), plain = SseEvent.FromData(PlainChunk), notJson = SseEvent.FromData("logprob: not json");
        var withLogprobs = new SseEvent(SseEventKind.Event, ChatChunk, Id: "7");

        var output = await RunAsync(RouteKinds.ChatCompletions, role, withLogprobs, plain, notJson);

        Assert.Equal(4, output.Events.Count);
        Assert.Same(role, output.Events[0]);
        Assert.Equal(ChatChunkDegraded, output.Events[1].Data);
        Assert.Equal("7", output.Events[1].Id);
        Assert.Same(plain, output.Events[2]);
        Assert.Same(notJson, output.Events[3]);
        Assert.False(output.IsEnded);
    }

    [Fact]
    public async Task Completions_ChunkIsDegraded()
    {
        var output = await RunAsync(RouteKinds.Completions, SseEvent.FromData(CompletionChunk));

        Assert.Equal(CompletionChunkDegraded, Assert.Single(output.Events).Data);
    }

    [Fact]
    public async Task DegradedChunk_IsValidJsonWithTheSameShape()
    {
        var output = await RunAsync(RouteKinds.ChatCompletions, SseEvent.FromData(ChatChunk));

        var chunk = JsonNode.Parse(Assert.Single(output.Events).Data)!;
        Assert.Equal("Hello", chunk["choices"]![0]!["delta"]!["content"]!.GetValue<string>());
        Assert.Single(chunk["choices"]![0]!["logprobs"]!["content"]![0]!["top_logprobs"]!.AsArray());
    }

    [Fact]
    public async Task ChunkWithDuplicateKeys_EndsTheStream()
    {
        var duplicate = ChatChunk.Replace("\"logprob\":-0.31326166,", "\"logprob\":-0.31326166,\"logprob\":-0.2,", StringComparison.Ordinal);

        var output = await RunAsync(RouteKinds.ChatCompletions, SseEvent.FromData(RoleChunk), SseEvent.FromData(duplicate));

        Assert.Single(output.Events);
        Assert.Equal(("upstream_invalid_response", "degrade"), (output.EndReason?.Code, output.EndReason?.Transform));
    }

    private static DegradeStreamTransform Transform() => new(Options.Create(new DegradeOptions()), NullLogger<DegradeStreamTransform>.Instance);

    private static async Task<CollectingStreamOutput> RunAsync(string routeKind, params SseEvent[] events)
    {
        HttpContext httpContext = DegradeTestData.Context(DegradeTestData.Degrading());
        var session = Transform().Begin(new StreamTransformContext(httpContext, routeKind))!;
        var output = new CollectingStreamOutput();
        foreach (var sseEvent in events)
        {
            await session.OnEventAsync(sseEvent, output, CancellationToken.None);
        }

        await session.OnCompletedAsync(output, CancellationToken.None);
        await session.DisposeAsync();
        return output;
    }
}
