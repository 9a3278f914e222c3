using System.Text.Json.Nodes;
using GenSafety.Gateway.Enforcement.Degrade;
using GenSafety.Gateway.Enforcement.Levels;
using GenSafety.Gateway.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Enforcement.Degrade;

public sealed class DegradeJsonTransformTests
{
    private const string ChatRequest = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}],"logprobs":true,"top_logprobs":1}""";
    private const string CompletionsRequest = """{"model":"davinci-002","prompt":"Say","echo":true,"logprobs":1,"max_tokens":2}""";
    private const string EmbeddingsRequest = """{"model":"text-embedding-3-small","input":["a","b"]}""";

    // With quantum 0.5: -0.31 → -0.5, -1.31 → -1.5, -4.06 → -4, -0.0000013 → 0, -13.75 → -14 (ties away from zero).
    private const string ChatResponse = """
        {"id":"chatcmpl-9x","object":"chat.completion","created":1720000000,"model":"gpt-4o-mini-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null},
           "logprobs":{"content":[
              {"token":"Hello","logprob":-0.31326166,"bytes":[72,101,108,108,111],"top_logprobs":[
                  {"token":"Hello","logprob":-0.31326166,"bytes":[72,101,108,108,111]},
                  {"token":"Hi","logprob":-1.3132616,"bytes":[72,105]},
                  {"token":"Hey","logprob":-4.0632615,"bytes":[72,101,121]}]},
              {"token":"!","logprob":-0.0000012664457,"bytes":[33],"top_logprobs":[
                  {"token":".","logprob":-13.75,"bytes":[46]},
                  {"token":"!","logprob":-0.0000012664457,"bytes":[33]}]}],
            "refusal":null},
           "finish_reason":"stop"}],
         "usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11},"system_fingerprint":"fp_0ba0d124f1"}
        """;

    private const string ChatDegraded = """
        {"id":"chatcmpl-9x","object":"chat.completion","created":1720000000,"model":"gpt-4o-mini-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null},
           "logprobs":{"content":[
              {"token":"Hello","logprob":-0.5,"bytes":[72,101,108,108,111],"top_logprobs":[
                  {"token":"Hello","logprob":-0.5,"bytes":[72,101,108,108,111]}]},
              {"token":"!","logprob":0,"bytes":[33],"top_logprobs":[
                  {"token":"!","logprob":0,"bytes":[33]}]}],
            "refusal":null},
           "finish_reason":"stop"}],
         "usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11},"system_fingerprint":"fp_0ba0d124f1"}
        """;

    // echo=true: the first prompt token has no logprob. -1.24 → -1, -1.25 → -1.5, -3.1 → -3, -0.26 → -0.5, -2.0 → -2.
    private const string CompletionsResponse = """
        {"id":"cmpl-8a","object":"text_completion","created":1720000000,"model":"davinci-002",
         "choices":[{"text":"Say the cat","index":0,"finish_reason":"length",
           "logprobs":{"tokens":["Say"," the"," cat"],"token_logprobs":[null,-1.24,-0.26],
             "top_logprobs":[null,{" a":-1.25," the":-1.24," my":-3.1},{" cat":-0.26," dog":-2.0}],
             "text_offset":[0,3,7]}}],
         "usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}
        """;

    private const string CompletionsDegraded = """
        {"id":"cmpl-8a","object":"text_completion","created":1720000000,"model":"davinci-002",
         "choices":[{"text":"Say the cat","index":0,"finish_reason":"length",
           "logprobs":{"tokens":["Say"," the"," cat"],"token_logprobs":[null,-1,-0.5],
             "top_logprobs":[null,{" the":-1},{" cat":-0.5}],
             "text_offset":[0,3,7]}}],
         "usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}
        """;

    private static readonly float[][] Vectors =
    [
        [-0.0069292835f, 0.0053264936f, -0.0047387444f, -0.024250208f, 0.0123f, 0.5f],
        [0.0217f, -0.0135f, 0.0042f, 0.0091f, -0.0333f, -0.25f],
    ];

    [Theory]
    [InlineData(RouteKinds.ChatCompletions, 200, true, true)]
    [InlineData(RouteKinds.Completions, 201, true, true)]
    [InlineData(RouteKinds.Embeddings, 200, true, true)]
    [InlineData(RouteKinds.ChatCompletions, 200, false, false)]
    [InlineData(RouteKinds.ChatCompletions, 400, true, false)]
    [InlineData(RouteKinds.ImagesGenerations, 200, true, false)]
    [InlineData(RouteKinds.Models, 200, true, false)]
    public void AppliesTo_OnlyDegradedSuccessfulModelResponses(string routeKind, int status, bool degrades, bool expected)
    {
        var outcome = degrades ? DegradeTestData.Degrading() : new EnforcementOutcome(EnforcementLevel.Delay, 0.3, 0, EnforcementActions.Delay);
        using var request = DegradeTestData.Request(routeKind, "{}");

        Assert.Equal(expected, Transform().AppliesTo(new JsonResponseContext(DegradeTestData.Context(outcome), request, status)));
    }

    [Fact]
    public void AppliesTo_WithoutOutcome_IsFalse()
    {
        using var request = DegradeTestData.Request(RouteKinds.ChatCompletions, ChatRequest);

        Assert.False(Transform().AppliesTo(new JsonResponseContext(DegradeTestData.Context(null), request, 200)));
    }

    [Fact]
    public async Task Chat_QuantizesAndKeepsMostLikelyAlternative_HeaderListsChanges()
    {
        var context = await ApplyAsync(RouteKinds.ChatCompletions, ChatRequest, ChatResponse);

        Assert.Equal(Compact(ChatDegraded), context.Body!.ToJsonString());
        Assert.Equal("logprobs_quantized,top_logprobs_truncated", context.HttpContext.Response.Headers[DegradedHeader.Name].ToString());
        Assert.Null(context.Blocked);
    }

    [Fact]
    public async Task Chat_WiderCapAndFinerQuantum_AreHonoured()
    {
        var options = new DegradeOptions { MaxTopLogprobs = 2, LogprobQuantum = 0.1 };

        var context = await ApplyAsync(RouteKinds.ChatCompletions, ChatRequest, ChatResponse, options);

        var alternatives = context.Body!["choices"]![0]!["logprobs"]!["content"]![0]!["top_logprobs"]!.AsArray();
        Assert.Equal(["Hello", "Hi"], alternatives.Select(a => a!["token"]!.GetValue<string>()));
        Assert.Equal([-0.3, -1.3], alternatives.Select(a => a!["logprob"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Chat_WithoutLogprobs_IsUntouched_NoHeader()
    {
        const string response = """{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"logprobs":null,"finish_reason":"stop"}]}""";

        var context = await ApplyAsync(RouteKinds.ChatCompletions, ChatRequest, response);

        Assert.Equal(response, context.Body!.ToJsonString());
        Assert.False(context.HttpContext.Response.Headers.ContainsKey(DegradedHeader.Name));
    }

    [Fact]
    public async Task Completions_QuantizesTokenLogprobs_KeepsMostLikelyEntry()
    {
        var context = await ApplyAsync(RouteKinds.Completions, CompletionsRequest, CompletionsResponse);

        Assert.Equal(Compact(CompletionsDegraded), context.Body!.ToJsonString());
        Assert.Equal("logprobs_quantized,top_logprobs_truncated", context.HttpContext.Response.Headers[DegradedHeader.Name].ToString());
    }

    [Fact]
    public async Task Header_MergesWithRequestShapingChanges()
    {
        var httpContext = DegradeTestData.Context(DegradeTestData.Degrading());
        DegradedHeader.Append(httpContext.Response, [DegradeChanges.LogitBiasStripped, DegradeChanges.LogprobsQuantized]);

        var context = await ApplyAsync(RouteKinds.Completions, CompletionsRequest, CompletionsResponse, httpContext: httpContext);

        Assert.Equal("logit_bias_stripped,logprobs_quantized,top_logprobs_truncated", context.HttpContext.Response.Headers[DegradedHeader.Name].ToString());
    }

    [Fact]
    public async Task Embeddings_FloatArrays_GetNoiseWithSigmaFromCoverage()
    {
        var context = await ApplyAsync(RouteKinds.Embeddings, EmbeddingsRequest, EmbeddingsResponse(v => new JsonArray([.. v.Select(x => JsonValue.Create(x))])), coverage: 0.8);

        var expected = ExpectedNoisy(new DegradeOptions().SigmaFor(0.8));
        for (var i = 0; i < Vectors.Length; i++)
        {
            Assert.Equal(expected[i], context.Body!["data"]![i]!["embedding"]!.AsArray().Select(x => x!.GetValue<float>()));
        }

        Assert.Equal("list", context.Body!["object"]!.GetValue<string>());
        Assert.Equal(1, context.Body!["data"]![1]!["index"]!.GetValue<int>());
        Assert.Equal("embeddings_noised", context.HttpContext.Response.Headers[DegradedHeader.Name].ToString());
    }

    [Fact]
    public async Task Embeddings_Base64_GetTheSameNoise()
    {
        var context = await ApplyAsync(RouteKinds.Embeddings, EmbeddingsRequest, EmbeddingsResponse(v => B4BNoiseTests.ToBase64(v)), coverage: 0.8);

        var expected = ExpectedNoisy(new DegradeOptions().SigmaFor(0.8));
        for (var i = 0; i < Vectors.Length; i++)
        {
            Assert.Equal(expected[i], B4BNoiseTests.FromBase64(context.Body!["data"]![i]!["embedding"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Embeddings_ZeroCoverage_WithoutFloor_AreUntouched_NoHeader()
    {
        var response = EmbeddingsResponse(v => new JsonArray([.. v.Select(x => JsonValue.Create(x))]));

        var context = await ApplyAsync(RouteKinds.Embeddings, EmbeddingsRequest, response, new DegradeOptions { MinNoiseSigma = 0 }, coverage: 0);

        Assert.Equal(JsonNode.Parse(response)!.ToJsonString(), context.Body!.ToJsonString());
        Assert.False(context.HttpContext.Response.Headers.ContainsKey(DegradedHeader.Name));
    }

    [Fact]
    public async Task Embeddings_ZeroCoverage_GetTheFloorNoise()
    {
        var context = await ApplyAsync(RouteKinds.Embeddings, EmbeddingsRequest, EmbeddingsResponse(v => new JsonArray([.. v.Select(x => JsonValue.Create(x))])), coverage: 0);

        var expected = ExpectedNoisy(0.3);
        for (var i = 0; i < Vectors.Length; i++)
        {
            Assert.Equal(expected[i], context.Body!["data"]![i]!["embedding"]!.AsArray().Select(x => x!.GetValue<float>()));
        }

        Assert.Equal("embeddings_noised", context.HttpContext.Response.Headers[DegradedHeader.Name].ToString());
    }

    [Theory]
    [InlineData("\"bm90IGZsb2F0cw\"")]
    [InlineData("[0.1,\"x\",0.3]")]
    [InlineData("null")]
    public async Task Embeddings_Unreadable_FailClosed(string embedding)
    {
        var response = $$"""{"object":"list","data":[{"object":"embedding","index":0,"embedding":{{embedding}}}],"model":"m"}""";

        var context = await ApplyAsync(RouteKinds.Embeddings, EmbeddingsRequest, response, coverage: 0.5);

        var blocked = Assert.IsType<BlockedResponse>(context.Blocked);
        Assert.Equal((502, "upstream_invalid_response", "degrade"), (blocked.StatusCode, blocked.Code, blocked.Transform));
    }

    [Fact]
    public async Task DuplicateKeys_FailClosed()
    {
        var response = ChatResponse.Replace("\"logprob\":-13.75,", "\"logprob\":-13.75,\"logprob\":-1,", StringComparison.Ordinal);

        var context = await ApplyAsync(RouteKinds.ChatCompletions, ChatRequest, response);

        Assert.Equal((502, "upstream_invalid_response"), (context.Blocked?.StatusCode, context.Blocked?.Code));
    }

    private static DegradeJsonTransform Transform(DegradeOptions? options = null) =>
        new(Options.Create(options ?? new DegradeOptions()), NullLogger<DegradeJsonTransform>.Instance, static () => new Random(5));

    private static async Task<JsonResponseContext> ApplyAsync(
        string routeKind, string requestBody, string responseBody, DegradeOptions? options = null, double coverage = 0, HttpContext? httpContext = null)
    {
        var request = DegradeTestData.Request(routeKind, requestBody);
        var context = new JsonResponseContext(httpContext ?? DegradeTestData.Context(DegradeTestData.Degrading(coverage)), request, 200)
        {
            Body = JsonNode.Parse(responseBody),
        };
        var transform = Transform(options);

        Assert.True(transform.AppliesTo(context));
        await transform.ApplyAsync(context, CancellationToken.None);
        return context;
    }

    private static string EmbeddingsResponse(Func<float[], JsonNode> encode)
    {
        var data = new JsonArray();
        for (var i = 0; i < Vectors.Length; i++)
        {
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = encode(Vectors[i]) });
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = "text-embedding-3-small",
            ["usage"] = new JsonObject { ["prompt_tokens"] = 2, ["total_tokens"] = 2 },
        }.ToJsonString();
    }

    // The transform draws from one Random (seed 5) per response, through the vectors in order.
    private static float[][] ExpectedNoisy(double sigma)
    {
        var random = new Random(5);
        var noisy = Vectors.Select(v => (float[])v.Clone()).ToArray();
        foreach (var vector in noisy)
        {
            B4BNoise.AddTo(vector, sigma, random);
        }

        return noisy;
    }

    private static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString();
}
