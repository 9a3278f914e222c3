using System.Text;
using System.Text.Json;
using GenSafety.Gateway.Detection.ApiSurface;
using GenSafety.Gateway.Enforcement.Degrade;
using GenSafety.Gateway.Proxy;
using GenSafety.Gateway.Requests;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class ApiSurfaceShapingTests
{
    private static readonly DegradeRequestShaper Dropping = new(
        Options.Create(new DegradeOptions()), Options.Create(new ApiSurfaceShapingOptions { DropTopLogprobsWithLogitBias = true }));

    private static readonly DegradeRequestShaper Flagging = new(
        Options.Create(new DegradeOptions()), Options.Create(new ApiSurfaceShapingOptions { PreBiasLogprobsField = "logprobs_before_bias", PreBiasLogprobsValue = "\"raw\"" }));

    private static DegradeShapingResult Shape(DegradeRequestShaper shaper, string route, string body, bool degrade = false)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new ProxyRequest(route, bytes, JsonDocument.Parse(bytes));
        return shaper.Shape(request, degrade);
    }

    [Theory]
    [InlineData(RouteKinds.ChatCompletions,
        """{"model":"m","messages":[],"logprobs":true,"top_logprobs":20,"logit_bias":{"9":100},"max_tokens":1}""",
        """{"model":"m","messages":[],"logprobs":true,"logit_bias":{"9":100},"max_tokens":1}""")]
    [InlineData(RouteKinds.Completions,
        """{"model":"m","prompt":"x","logprobs":5,"logit_bias":{"9":100}}""",
        """{"model":"m","prompt":"x","logprobs":0,"logit_bias":{"9":100}}""")]
    public void Shape_LogitBiasWithTopLogprobs_DropsTheAlternatives(string route, string body, string expected)
    {
        var result = Shape(Dropping, route, body);

        Assert.Equal(expected, Encoding.UTF8.GetString(result.Body!));
        Assert.Equal([DegradeChanges.TopLogprobsDropped], result.Changes);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[],"logprobs":true,"top_logprobs":20}""")]
    [InlineData("""{"model":"m","messages":[],"logprobs":true,"top_logprobs":20,"logit_bias":{}}""")]
    [InlineData("""{"model":"m","messages":[],"logit_bias":{"9":100},"max_tokens":1}""")]
    public void Shape_WithoutBiasOrWithoutTopLogprobs_Unchanged(string body)
        => Assert.Same(DegradeShapingResult.Unchanged, Shape(Dropping, RouteKinds.ChatCompletions, body));

    [Fact]
    public void Shape_OptionOff_Unchanged_AndShaperSaysSo()
    {
        var shaper = new DegradeRequestShaper(Options.Create(new DegradeOptions()));

        var result = Shape(shaper, RouteKinds.ChatCompletions, """{"model":"m","messages":[],"top_logprobs":20,"logit_bias":{"9":100}}""");

        Assert.Same(DegradeShapingResult.Unchanged, result);
        Assert.False(shaper.ShapesUndegraded);
        Assert.True(Dropping.ShapesUndegraded);
    }

    [Fact]
    public void Shape_Degraded_StripsTheBiasAndCapsInstead()
    {
        var result = Shape(Dropping, RouteKinds.ChatCompletions,
            """{"model":"m","messages":[],"logprobs":true,"top_logprobs":20,"logit_bias":{"9":100},"max_tokens":1}""", degrade: true);

        Assert.Equal("""{"model":"m","messages":[],"logprobs":true,"top_logprobs":1,"max_tokens":1}""", Encoding.UTF8.GetString(result.Body!));
        Assert.Equal([DegradeChanges.TopLogprobsCapped, DegradeChanges.LogitBiasStripped], result.Changes);
    }

    [Theory]
    [InlineData(RouteKinds.ChatCompletions,
        """{"model":"m","messages":[],"logprobs":true,"top_logprobs":20,"logit_bias":{"9":100},"max_tokens":1}""",
        """{"model":"m","messages":[],"logprobs":true,"top_logprobs":20,"logit_bias":{"9":100},"max_tokens":1,"logprobs_before_bias":"raw"}""")]
    [InlineData(RouteKinds.ChatCompletions,
        """{"logprobs_before_bias":false,"messages":[],"logprobs":true,"logit_bias":{"9":100}}""",
        """{"messages":[],"logprobs":true,"logit_bias":{"9":100},"logprobs_before_bias":"raw"}""")]
    [InlineData(RouteKinds.Completions,
        """{"prompt":"x","logprobs":5,"logit_bias":{"9":100}}""",
        """{"prompt":"x","logprobs":5,"logit_bias":{"9":100},"logprobs_before_bias":"raw"}""")]
    public void Shape_PreBiasFlag_IsAddedWhenLogitBiasAndLogprobsMeet(string route, string body, string expected)
    {
        var result = Shape(Flagging, route, body);

        Assert.True(Flagging.ShapesUndegraded);
        Assert.Equal(expected, Encoding.UTF8.GetString(result.Body!));
        Assert.Equal([DegradeChanges.PreBiasLogprobs], result.Changes);
    }

    [Theory]
    [InlineData(RouteKinds.ChatCompletions, """{"messages":[],"logprobs":true,"top_logprobs":5}""")]
    [InlineData(RouteKinds.ChatCompletions, """{"messages":[],"logit_bias":{"9":100},"max_tokens":1}""")]
    [InlineData(RouteKinds.ChatCompletions, """{"messages":[],"logprobs":false,"logit_bias":{"9":100}}""")]
    [InlineData(RouteKinds.Completions, """{"prompt":"x","logit_bias":{"9":100}}""")]
    [InlineData(RouteKinds.Embeddings, """{"input":"x","logit_bias":{"9":100},"logprobs":1}""")]
    public void Shape_PreBiasFlag_NotAddedWithoutBothOrOnOtherRoutes(string route, string body)
        => Assert.Same(DegradeShapingResult.Unchanged, Shape(Flagging, route, body));

    [Theory]
    [InlineData("has space", "true", false, "PreBiasLogprobsField must be")]
    [InlineData("flag", "not json", false, "PreBiasLogprobsValue must be")]
    [InlineData("flag", "true", true, "are alternatives")]
    public void Validator_RejectsBadFlagSettings(string field, string value, bool drop, string message)
    {
        var result = new ApiSurfaceShapingOptionsValidator().Validate(null, new ApiSurfaceShapingOptions
        {
            PreBiasLogprobsField = field, PreBiasLogprobsValue = value, DropTopLogprobsWithLogitBias = drop,
        });

        Assert.Contains(result.Failures!, f => f.Contains(message, StringComparison.Ordinal));
    }
}
