using System.Text.Json;
using GenSafety.Gateway.Requests;

namespace GenSafety.Gateway.Tests.Requests;

public sealed class OutputTokenLimitTests
{
    [Theory]
    [InlineData("""{"max_completion_tokens":5,"max_tokens":9}""", 5L)]
    [InlineData("""{"max_completion_tokens":null,"max_tokens":9}""", 9L)]
    [InlineData("""{"max_tokens":3072}""", 3072L)]
    [InlineData("""{"max_tokens":1.5}""", null)]
    [InlineData("""{"prompt":"x"}""", null)]
    [InlineData("""[1,2]""", null)]
    public void Read_PrefersMaxCompletionTokens_ThenMaxTokens(string body, long? expected)
    {
        using var json = JsonDocument.Parse(body);

        Assert.Equal(expected, OutputTokenLimit.Read(json.RootElement));
    }
}
