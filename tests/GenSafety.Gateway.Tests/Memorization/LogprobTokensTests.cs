using System.Text.Json.Nodes;
using GenSafety.Detectors.Memorization;
using GenSafety.Gateway.Memorization;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Tests.Memorization;

public sealed class LogprobTokensTests
{
    [Fact]
    public void Chat_ReadsTokensLogprobsAndAlternatives()
    {
        var choice = JsonNode.Parse("""
            {"index":0,"logprobs":{"content":[
              {"token":"Hello","logprob":-0.01,"top_logprobs":[{"token":"Hello","logprob":-0.01},{"token":"Hi","logprob":-4.6}]},
              {"token":" world","logprob":-0.2,"top_logprobs":[]}]}}
            """)!.AsObject();
        var tokens = new List<TokenLogprob>();

        LogprobTokens.Append(choice, RouteKinds.ChatCompletions, tokens);

        Assert.Equal(2, tokens.Count);
        Assert.Equal("Hello", tokens[0].Token);
        Assert.Equal(-0.01, tokens[0].Logprob);
        Assert.Equal([-0.01, -4.6], tokens[0].TopLogprobs!);
        Assert.Empty(tokens[1].TopLogprobs!);
    }

    [Fact]
    public void Completions_ReadsParallelArrays()
    {
        var choice = JsonNode.Parse("""
            {"text":"a b","logprobs":{"tokens":["a"," b"],"token_logprobs":[-0.5,-0.05],"top_logprobs":[{"a":-0.5,"c":-1.2},null]}}
            """)!.AsObject();
        var tokens = new List<TokenLogprob>();

        LogprobTokens.Append(choice, RouteKinds.Completions, tokens);

        Assert.Equal([("a", -0.5), (" b", -0.05)], tokens.Select(t => (t.Token, t.Logprob)));
        Assert.Equal([-0.5, -1.2], tokens[0].TopLogprobs!);
        Assert.Null(tokens[1].TopLogprobs);
    }

    [Theory]
    [InlineData("""{"logprobs":null}""")]
    [InlineData("""{"logprobs":{"content":"x"}}""")]
    [InlineData("""{"logprobs":{"content":[{"token":1,"logprob":-0.1},{"token":"ok","logprob":"bad"},{"token":"ok","logprob":-0.1}]}}""")]
    public void UnexpectedShapes_AreSkipped_NeverThrow(string json)
    {
        var tokens = new List<TokenLogprob>();

        LogprobTokens.Append(JsonNode.Parse(json)!.AsObject(), RouteKinds.ChatCompletions, tokens);

        Assert.True(tokens.Count <= 1);
        Assert.All(tokens, t => Assert.Equal("ok", t.Token));
    }

    [Fact]
    public void Completions_MismatchedArrays_ReadUpToTheShorter_AndStopAtTheCap()
    {
        var names = new JsonArray([.. Enumerable.Range(0, LogprobTokens.MaxTokens + 10).Select(i => (JsonNode)JsonValue.Create("t"))]);
        var values = new JsonArray([.. Enumerable.Range(0, LogprobTokens.MaxTokens + 5).Select(i => (JsonNode)JsonValue.Create(-0.01))]);
        var choice = new JsonObject { ["logprobs"] = new JsonObject { ["tokens"] = names, ["token_logprobs"] = values } };
        var tokens = new List<TokenLogprob>();

        LogprobTokens.Append(choice, RouteKinds.Completions, tokens);

        Assert.Equal(LogprobTokens.MaxTokens, tokens.Count);
    }
}
