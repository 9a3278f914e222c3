using System.Text;
using GenSafety.Gateway.Enforcement.Degrade;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Enforcement.Degrade;

public sealed class DegradeRequestShaperTests
{
    private const string Chat = RouteKinds.ChatCompletions;
    private const string Completions = RouteKinds.Completions;
    private const string Images = RouteKinds.ImagesGenerations;
    private const string Embeddings = RouteKinds.Embeddings;

    private const string Messages = "\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    [Theory]
    // Chat completions: each field on its own.
    [InlineData(Chat, "{" + Messages + ""","logprobs":true,"top_logprobs":20,"max_tokens":50}""",
        "{" + Messages + ""","logprobs":true,"top_logprobs":1,"max_tokens":50}""", "top_logprobs_capped")]
    [InlineData(Chat, "{" + Messages + ""","logit_bias":{"50256":-100,"1734":100},"max_tokens":50}""",
        "{" + Messages + ""","max_tokens":50}""", "logit_bias_stripped")]
    [InlineData(Chat, "{" + Messages + ""","n":8,"max_tokens":50}""",
        "{" + Messages + ""","n":1,"max_tokens":50}""", "n_clamped")]
    [InlineData(Chat, "{" + Messages + ""","max_tokens":4096}""",
        "{" + Messages + ""","max_tokens":256}""", "max_tokens_clamped")]
    [InlineData(Chat, "{" + Messages + ""","max_completion_tokens":4096}""",
        "{" + Messages + ""","max_completion_tokens":256}""", "max_completion_tokens_clamped")]
    [InlineData(Chat, "{" + Messages + "}",
        "{" + Messages + ""","max_completion_tokens":256}""", "max_completion_tokens_set")]
    [InlineData(Chat, "{" + Messages + ""","max_tokens":null}""",
        "{" + Messages + ""","max_tokens":256}""", "max_tokens_set")]
    [InlineData(Chat, "{" + Messages + ""","max_tokens":null,"max_completion_tokens":null}""",
        "{" + Messages + ""","max_completion_tokens":256}""", "max_completion_tokens_set")]
    // Chat: everything at once, in field order; fields of other routes are left alone.
    [InlineData(Chat, "{" + Messages + ""","n":3,"logprobs":true,"top_logprobs":5,"logit_bias":{"1":5},"best_of":4,"max_tokens":999,"max_completion_tokens":999}""",
        "{" + Messages + ""","n":1,"logprobs":true,"top_logprobs":1,"best_of":4,"max_tokens":256,"max_completion_tokens":256}""",
        "n_clamped,top_logprobs_capped,logit_bias_stripped,max_tokens_clamped,max_completion_tokens_clamped")]
    // Completions.
    [InlineData(Completions, """{"model":"davinci-002","prompt":"Say","logprobs":5}""",
        """{"model":"davinci-002","prompt":"Say","logprobs":1}""", "logprobs_capped")]
    [InlineData(Completions, """{"model":"davinci-002","prompt":"Say","n":2,"best_of":5}""",
        """{"model":"davinci-002","prompt":"Say","n":1,"best_of":1}""", "n_clamped,best_of_clamped")]
    [InlineData(Completions, """{"model":"davinci-002","prompt":"Say","max_tokens":2000,"logit_bias":{"13":-100}}""",
        """{"model":"davinci-002","prompt":"Say","max_tokens":256}""", "max_tokens_clamped,logit_bias_stripped")]
    [InlineData(Completions, """{"model":"davinci-002","prompt":"Say","max_tokens":null,"top_logprobs":9,"max_completion_tokens":900}""",
        """{"model":"davinci-002","prompt":"Say","max_tokens":256,"top_logprobs":9,"max_completion_tokens":900}""", "max_tokens_set")]
    // Images: only n.
    [InlineData(Images, """{"prompt":"a cat","n":4,"logit_bias":{"1":1},"max_tokens":9999}""",
        """{"prompt":"a cat","n":1,"logit_bias":{"1":1},"max_tokens":9999}""", "n_clamped")]
    public void Shape_RewritesOnlyTheRoutesFields(string routeKind, string body, string expected, string changes)
    {
        var result = Shape(routeKind, body);

        Assert.Null(result.Rejection);
        Assert.False(result.IsUnchanged);
        Assert.Equal(expected, Encoding.UTF8.GetString(result.Body!));
        Assert.Equal(changes.Split(','), result.Changes);
    }

    [Theory]
    [InlineData(Chat, "{" + Messages + ""","logprobs":true,"top_logprobs":1,"n":1,"max_tokens":256,"logit_bias":{}}""")]
    [InlineData(Chat, "{" + Messages + ""","max_completion_tokens":100,"logit_bias":null,"n":null,"top_logprobs":null}""")]
    [InlineData(Chat, "{" + Messages + ""","max_tokens":null,"max_completion_tokens":100}""")]
    [InlineData(Completions, """{"model":"m","prompt":"p","logprobs":0,"best_of":1}""")]
    [InlineData(Completions, """{"model":"m","prompt":"p","max_tokens":256,"logprobs":null}""")]
    [InlineData(Images, """{"prompt":"a cat","n":1}""")]
    [InlineData(Embeddings, """{"model":"text-embedding-3-small","input":"hi","n":9,"logit_bias":{"1":1},"max_tokens":9999}""")]
    public void Shape_NothingToChange_IsUnchanged(string routeKind, string body)
    {
        var result = Shape(routeKind, body);

        Assert.Same(DegradeShapingResult.Unchanged, result);
        Assert.True(result.IsUnchanged);
        Assert.Null(result.Body);
        Assert.Empty(result.Changes);
    }

    [Fact]
    public void Shape_RouteWithoutBody_IsUnchanged()
    {
        var request = new ProxyRequest(RouteKinds.Models, ReadOnlyMemory<byte>.Empty, null);

        Assert.Same(DegradeShapingResult.Unchanged, DegradeRequestShaper.Shape(request, new DegradeOptions()));
    }

    [Theory]
    [InlineData(Chat)]
    [InlineData(Completions)]
    public void Shape_LogitBiasInRejectMode_RejectsInOpenAIShape(string routeKind)
    {
        var body = routeKind == Chat
            ? "{" + Messages + ""","n":5,"logit_bias":{"50256":-100}}"""
            : """{"model":"m","prompt":"p","logit_bias":{"50256":-100}}""";

        var result = Shape(routeKind, body, new DegradeOptions { LogitBias = LogitBiasMode.Reject });

        Assert.Null(result.Body);
        Assert.False(result.IsUnchanged);
        var rejection = Assert.IsType<DegradeRejection>(result.Rejection);
        Assert.Equal((400, "invalid_request", "logit_bias"), (rejection.StatusCode, rejection.Code, rejection.Param));
        Assert.StartsWith("logit_bias is not available to this client", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shape_LogitBiasInRejectMode_EmptyBiasPasses()
    {
        var result = Shape(Chat, "{" + Messages + ""","logit_bias":{},"max_tokens":10}""", new DegradeOptions { LogitBias = LogitBiasMode.Reject });

        Assert.True(result.IsUnchanged);
    }

    [Fact]
    public void Shape_KeepsUntouchedFieldsByteForByte()
    {
        // Escapes, non-ASCII, nesting and inner whitespace are copied as sent, not re-encoded.
        const string messages = """[ {"role": "user", "content": "h\u00e9llo \"q\" ✓ 🙂 <b>&"} ]""";
        const string tools = """[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{}}}}]""";
        var body = "{ \"model\":\"gpt-4o\",\n  \"messages\" : " + messages + ", \"temperature\": 0.70, \"n\": 2,\n \"tools\":" + tools + ", \"user\":\"u-1\" }";

        var result = Shape(Chat, body);

        Assert.Equal(
            "{\"model\":\"gpt-4o\",\"messages\":" + messages + ",\"temperature\":0.70,\"n\":1,\"tools\":" + tools + ",\"user\":\"u-1\",\"max_completion_tokens\":256}",
            Encoding.UTF8.GetString(result.Body!));
        Assert.Equal(["n_clamped", "max_completion_tokens_set"], result.Changes);
    }

    [Fact]
    public void Shape_EscapedAndDuplicateNames_AreAllClamped()
    {
        var result = Shape(Chat, "{" + Messages + ""","\u006e":7,"n":9,"max_tokens":10}""");

        Assert.Equal("{" + Messages + ""","\u006e":1,"n":1,"max_tokens":10}""", Encoding.UTF8.GetString(result.Body!));
        Assert.Equal(["n_clamped"], result.Changes);
    }

    [Fact]
    public void Shape_CustomLimits_AreUsed()
    {
        var options = new DegradeOptions { MaxTopLogprobs = 0, MaxN = 2, MaxTokens = 32 };

        var result = Shape(Chat, "{" + Messages + ""","top_logprobs":3,"n":2,"max_tokens":33}""", options);

        Assert.Equal("{" + Messages + ""","top_logprobs":0,"n":2,"max_tokens":32}""", Encoding.UTF8.GetString(result.Body!));
    }

    [Fact]
    public void Instance_UsesConfiguredOptions()
    {
        var shaper = new DegradeRequestShaper(Options.Create(new DegradeOptions { MaxN = 3 }));
        using var request = DegradeTestData.Request(Images, """{"prompt":"a cat","n":4}""");

        Assert.Equal("""{"prompt":"a cat","n":3}""", Encoding.UTF8.GetString(shaper.Shape(request).Body!));
    }

    private static DegradeShapingResult Shape(string routeKind, string body, DegradeOptions? options = null)
    {
        using var request = DegradeTestData.Request(routeKind, body);
        return DegradeRequestShaper.Shape(request, options ?? new DegradeOptions());
    }
}
