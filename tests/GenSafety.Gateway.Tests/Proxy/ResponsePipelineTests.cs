using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Streaming;
using GenSafety.Gateway.Tests.TestHosts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace GenSafety.Gateway.Tests.Proxy;

/// <summary>The extension points later features plug into, exercised through a real gateway.</summary>
public sealed class ResponsePipelineTests
{
    private const string ChatBody = """{"model":"m","messages":[{"role":"user","content":"hi"}]}""";
    private const string StreamBody = """{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task<ScriptedUpstream> JsonUpstreamAsync() => ScriptedUpstream.StartFixedAsync(
        """{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"secret text"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""");

    private static Task<ScriptedUpstream> StreamUpstreamAsync(int chunks) => ScriptedUpstream.StartAsync(async context =>
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.WriteAsync(": keep-alive\n\n");
        for (var i = 0; i < chunks; i++)
        {
            await context.Response.WriteAsync($"data: {{\"id\":\"s1\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"w{i} \"}}}}]}}\r\n\r\n");
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    });

    [Fact]
    public async Task JsonTransform_RewritesBody_ClientSeesRewrite()
    {
        await using var upstream = await JsonUpstreamAsync();
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, services: s => s.AddSingleton<IJsonResponseTransform, UppercaseJsonTransform>());
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var response = await client.PostAsync("/v1/chat/completions", Json(ChatBody));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("SECRET TEXT", json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task JsonTransform_Blocks_ClientGetsError()
    {
        await using var upstream = await JsonUpstreamAsync();
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, services: s => s.AddSingleton<IJsonResponseTransform, BlockingJsonTransform>());
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var response = await client.PostAsync("/v1/chat/completions", Json(ChatBody));

        await ErrorAssert.IsOpenAIErrorAsync(response, (HttpStatusCode)451, "output_blocked");
    }

    [Fact]
    public async Task StreamTransform_RewritesEvents_ClientSeesRewriteAndKeepAlive()
    {
        await using var upstream = await StreamUpstreamAsync(3);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, services: s => s.AddSingleton<IStreamTransform, UppercaseStreamTransform>());
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var body = await (await client.PostAsync("/v1/chat/completions", Json(StreamBody))).Content.ReadAsStringAsync();

        Assert.Contains("W0 ", body);
        Assert.Contains("W2 ", body);
        Assert.DoesNotContain("w1 ", body);
        Assert.Contains(": keep-alive", body);
        Assert.EndsWith("data: [DONE]\n\n", body);
    }

    [Fact]
    public async Task StreamTransform_Ends_ClientGetsContentFilterChunkThenDone()
    {
        await using var upstream = await StreamUpstreamAsync(10);
        await using var gateway = await GatewayHost.StartAsync(upstream.Url, services: s => s.AddSingleton<IStreamTransform, EndAfterTwoStreamTransform>());
        using var client = gateway.PublicWithKey(await gateway.CreateClientKeyAsync());

        var body = await (await client.PostAsync("/v1/chat/completions", Json(StreamBody))).Content.ReadAsStringAsync();

        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).ToList();
        Assert.Equal("data: [DONE]", events[^1]);
        using var final = JsonDocument.Parse(events[^2]["data: ".Length..]);
        Assert.Equal("content_filter", final.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal("s1", final.RootElement.GetProperty("id").GetString());
        Assert.Equal("output_blocked", final.RootElement.GetProperty("gensafety").GetProperty("code").GetString());
        Assert.Contains("w1 ", body);
        Assert.DoesNotContain("w2 ", body);
    }

    private sealed class UppercaseJsonTransform : IJsonResponseTransform
    {
        public string Name => "uppercase";

        public bool AppliesTo(JsonResponseContext context) => true;

        public ValueTask ApplyAsync(JsonResponseContext context, CancellationToken cancellationToken)
        {
            var message = context.Body!["choices"]![0]!["message"]!;
            message["content"] = message["content"]!.GetValue<string>().ToUpperInvariant();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class BlockingJsonTransform : IJsonResponseTransform
    {
        public string Name => "blocker";

        public bool AppliesTo(JsonResponseContext context) => true;

        public ValueTask ApplyAsync(JsonResponseContext context, CancellationToken cancellationToken)
        {
            context.Block(451, "output_blocked", "The output reproduces protected text.", Name);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class UppercaseStreamTransform : IStreamTransform
    {
        public string Name => "uppercase";

        public IStreamTransformSession Begin(StreamTransformContext context) => new Session();

        private sealed class Session : IStreamTransformSession
        {
            public ValueTask OnEventAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
            {
                var node = JsonNode.Parse(sseEvent.Data)!;
                var delta = node["choices"]![0]!["delta"]!;
                delta["content"] = delta["content"]!.GetValue<string>().ToUpperInvariant();
                return output.WriteAsync(SseEvent.FromData(node.ToJsonString()), cancellationToken);
            }

            public ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken) => ValueTask.CompletedTask;

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class EndAfterTwoStreamTransform : IStreamTransform
    {
        public string Name => "end-after-two";

        public IStreamTransformSession Begin(StreamTransformContext context) => new Session();

        private sealed class Session : IStreamTransformSession
        {
            private int _seen;

            public async ValueTask OnEventAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
            {
                if (++_seen > 2)
                {
                    output.End(new StreamEndReason("output_blocked", "protected text", "end-after-two"));
                    return;
                }

                await output.WriteAsync(sseEvent, cancellationToken);
            }

            public ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken) => ValueTask.CompletedTask;

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
