using System.Text.Json;
using GenSafety.Gateway.Enforcement.Admission;
using GenSafety.Gateway.Proxy;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace GenSafety.Gateway.Tests.Enforcement.Admission;

/// <summary>Input tokens as admission counts them: the model's encoding, OpenAI's chat framing.</summary>
public sealed class PromptTokenCounterTests
{
    // Japanese text tokenizes differently under cl100k_base and o200k_base, so the encoding used is visible.
    private const string Text = "こんにちは世界、今日はとても良い天気ですね。海について教えてください。";

    private static long Count(PromptTokenCounter counter, string model, string routeKind = RouteKinds.ChatCompletions)
    {
        using var body = JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            model,
            messages = new object[] { new { role = "system", content = "Be brief." }, new { role = "user", content = Text } },
            prompt = Text,
            input = new[] { Text, Text },
        }));
        return counter.Count(routeKind, body.RootElement);
    }

    private static int Tokens(string encoding, string text) => TiktokenTokenizer.CreateForEncoding(encoding).CountTokens(text);

    [Fact]
    public void Chat_IsMessageTextPlusThreePerMessagePlusThree_InCl100kByDefault()
    {
        var counter = new PromptTokenCounter();

        Assert.Equal(Tokens("cl100k_base", "Be brief.") + Tokens("cl100k_base", Text) + (2 * 3) + 3, Count(counter, "any-model"));
        Assert.Equal(Tokens("cl100k_base", Text), Count(counter, "any-model", RouteKinds.Completions));
        Assert.Equal(2 * Tokens("cl100k_base", Text), Count(counter, "any-model", RouteKinds.Embeddings));
        Assert.Equal(0, Count(counter, "any-model", RouteKinds.Models));
    }

    [Fact]
    public void ModelPrefixes_ChooseTheEncoding_LongestPrefixWins()
    {
        var options = new TokenCountingOptions();
        options.Models["gpt-4o"] = "o200k_base";
        options.Models["gpt-4o-legacy"] = "cl100k_base";
        var counter = new PromptTokenCounter(Options.Create(options));

        var o200k = Count(counter, "gpt-4o-mini", RouteKinds.Completions);
        var cl100k = Count(counter, "gpt-4", RouteKinds.Completions);

        Assert.NotEqual(Tokens("o200k_base", Text), Tokens("cl100k_base", Text));
        Assert.Equal(Tokens("o200k_base", Text), o200k);
        Assert.Equal(Tokens("cl100k_base", Text), cl100k);
        Assert.Equal(Tokens("cl100k_base", Text), Count(counter, "GPT-4O-LEGACY-2024", RouteKinds.Completions));
    }

    [Fact]
    public void Validator_RejectsUnknownEncodings_AllAtOnce()
    {
        var options = new TokenCountingOptions { Default = "p50k_base" };
        options.Models["m"] = "gpt2";

        var result = new TokenCountingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("GenSafety:Enforcement:TokenCounting:Models:m", StringComparison.Ordinal));
    }
}
