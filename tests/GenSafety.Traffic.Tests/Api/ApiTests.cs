using System.Text.Json.Nodes;
using GenSafety.Traffic.Api;
using GenSafety.Traffic.Labels;

namespace GenSafety.Traffic.Tests.Api;

public sealed class ApiTests
{
    [Fact]
    public void Parse_ChatWithLogprobs_ReadsContentTopLogprobsAndUsage()
    {
        const string body = """
            {"choices":[{"index":0,"message":{"role":"assistant","content":" cat"},"logprobs":{"content":[{"token":" cat","logprob":-0.1,"bytes":[32,99,97,116],
             "top_logprobs":[{"token":" cat","logprob":-0.1,"bytes":[]},{"token":" dog","logprob":-2.5,"bytes":[]}]}],"refusal":null},"finish_reason":"length"}],
             "usage":{"prompt_tokens":7,"completion_tokens":1,"total_tokens":8}}
            """;

        var response = ResponseParser.Parse(TrafficRoute.ChatCompletions, 200, body, 3.5, "logprobs_quantized", 2);

        Assert.True(response.Ok);
        Assert.Equal(" cat", response.Content);
        Assert.Equal("length", response.FinishReason);
        Assert.Equal([new TopLogprob(" cat", -0.1), new TopLogprob(" dog", -2.5)], response.TopLogprobs);
        Assert.Equal((7, 1), (response.PromptTokens, response.CompletionTokens));
        Assert.Equal(("logprobs_quantized", 2), (response.Degraded, response.Attempts));
    }

    [Fact]
    public void Parse_EmbeddingsFloatAndBase64_KeepInputOrder()
    {
        var base64 = Convert.ToBase64String([.. BitConverter.GetBytes(1.5f), .. BitConverter.GetBytes(-2f)]);
        var body = $$$"""{"data":[{"index":1,"embedding":"{{{base64}}}"},{"index":0,"embedding":[0.25,0.5]}],"usage":{"prompt_tokens":4,"total_tokens":4}}""";

        var response = ResponseParser.Parse(TrafficRoute.Embeddings, 200, body, 1, null, 1);

        Assert.Equal([0.25f, 0.5f], response.Embeddings[0]);
        Assert.Equal([1.5f, -2f], response.Embeddings[1]);
    }

    [Fact]
    public void Parse_OpenAiError_KeepsTheCode()
    {
        var response = ResponseParser.Parse(TrafficRoute.ChatCompletions, 403, """{"error":{"message":"blocked","type":"x","param":null,"code":"client_blocked"}}""", 1, null, 1);

        Assert.False(response.Ok);
        Assert.Equal("client_blocked", response.ErrorCode);
        Assert.Equal("unparsable_body", ResponseParser.Parse(TrafficRoute.ChatCompletions, 502, "<html>", 1, null, 1).ErrorCode);
    }

    [Fact]
    public void Shape_ReadsApiSurfaceParametersAndDigestsThePrompt()
    {
        var request = TrafficRequest.UserChat("k", "hello there", new JsonObject
        {
            ["max_tokens"] = 1,
            ["temperature"] = 0,
            ["logprobs"] = true,
            ["top_logprobs"] = 20,
            ["logit_bias"] = TrafficRequest.LogitBias([KeyValuePair.Create(279, 100.0), KeyValuePair.Create(5, -60.5)]),
        });

        var shape = RequestShape.Of(request);

        Assert.Equal(RequestShape.Digest("hello there"), shape.PromptDigest);
        Assert.Equal(16, shape.PromptDigest.Length);
        Assert.Equal((11, 1), (shape.PromptChars, shape.Items));
        Assert.Equal((1, 0.0, true, 20), (shape.MaxTokens, shape.Temperature!.Value, shape.Logprobs, shape.TopLogprobs!.Value));
        Assert.Equal((2, 100.0), (shape.BiasCount, shape.BiasMaxAbs));
        Assert.Equal(3, RequestShape.Of(TrafficRequest.Embeddings("e", ["a", "b", "c"])).Items);
    }
}
