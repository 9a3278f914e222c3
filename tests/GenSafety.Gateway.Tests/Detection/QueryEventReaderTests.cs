using System.Text;
using GenSafety.Gateway.Detection;
using GenSafety.Gateway.Proxy;

namespace GenSafety.Gateway.Tests.Detection;

public sealed class QueryEventReaderTests
{
    private static readonly DateTimeOffset At = new(2025, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private static QueryEvent Read(string route, string body, string? response = null)
    {
        var observation = new QueryObservation("t1", "c1", route, Encoding.UTF8.GetBytes(body), At)
        {
            EmbeddingsResponse = response is null ? null : Encoding.UTF8.GetBytes(response),
            Usage = new TokenUsage(7, 3),
        };
        observation.AddFinishReason("length");
        return QueryEventReader.Read(observation);
    }

    [Fact]
    public void Read_Chat_QueryTextIsTheLastUserMessage_FollowUpWhenAnAssistantTurnCameBefore()
    {
        var single = Read(RouteKinds.ChatCompletions, """{"messages":[{"role":"system","content":"Long template."},{"role":"user","content":"What is covered?"}]}""");
        var followUp = Read(RouteKinds.ChatCompletions, """
            {"messages":[{"role":"user","content":"Tell me about tides."},{"role":"assistant","content":"Tides are..."},{"role":"user","content":[{"type":"text","text":"Why is that?"}]}]}
            """);
        var completion = Read(RouteKinds.Completions, """{"prompt":"Once upon","max_completion_tokens":5,"max_tokens":9}""");

        Assert.Equal(("What is covered?", false), (single.QueryText, single.FollowUp));
        Assert.Equal("Long template.\nWhat is covered?", single.PromptText);
        Assert.Equal(("Why is that?", true), (followUp.QueryText, followUp.FollowUp));
        Assert.Equal(("Once upon", false), (completion.QueryText, completion.FollowUp));
        Assert.Equal(5, completion.Parameters.MaxTokens);
    }

    [Fact]
    public void Read_CarriesTheObservationsSourceNetwork()
    {
        var observation = new QueryObservation("t1", "c1", RouteKinds.Embeddings, Encoding.UTF8.GetBytes("""{"input":"x"}"""), At)
        {
            SourceNetwork = SourceNetworks.Of(System.Net.IPAddress.Parse("203.0.113.77")),
        };

        Assert.Equal("203.0.113.0/24", QueryEventReader.Read(observation).SourceNetwork);
    }

    [Fact]
    public void Read_Chat_JoinsMessagesAndReadsTheApiSurface()
    {
        var e = Read(RouteKinds.ChatCompletions, """
            {"model":"gpt-x","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hi"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"there"}]}],
             "logprobs":true,"top_logprobs":20,"logit_bias":{"50256":-100,"1734":42.5,"oops":3},"max_tokens":9,"max_completion_tokens":1,
             "temperature":0.7,"n":2,"seed":12,"stream":true}
            """);

        Assert.Equal(("t1", "c1", At, "gpt-x"), (e.Tenant, e.ClientId, e.At, e.Model));
        Assert.Equal("Be brief.\nHi\nthere", e.PromptText);
        Assert.Equal(QueryEventReader.Hash("Be brief.\nHi\nthere"), e.PromptHash);
        var p = e.Parameters;
        Assert.Equal((true, 20, 1, 0.7, 2, 12L, true, false), (p.Logprobs, p.TopLogprobs, p.MaxTokens, p.Temperature, p.N, p.Seed, p.Stream, p.Echo));
        Assert.Equal([new LogitBiasEntry(50256, -100), new LogitBiasEntry(1734, 42.5)], p.LogitBias);
        Assert.Equal(new TokenUsage(7, 3), e.Usage);
        Assert.Equal(["length"], e.FinishReasons);
        Assert.Empty(e.ReturnedEmbeddings);
    }

    [Fact]
    public void Read_Completions_LogprobsIntegerIsTopK_PromptArrayIsJoined()
    {
        var e = Read(RouteKinds.Completions, """{"model":"m","prompt":["one","two"],"logprobs":5,"max_tokens":1,"echo":true}""");

        Assert.Equal("one\ntwo", e.PromptText);
        Assert.Equal((true, 5, 1, true), (e.Parameters.Logprobs, e.Parameters.TopLogprobs, e.Parameters.MaxTokens, e.Parameters.Echo));
    }

    [Fact]
    public void Read_CompletionsWithoutLogprobs_AsksNone()
    {
        var e = Read(RouteKinds.Completions, """{"model":"m","prompt":"x"}""");

        Assert.False(e.Parameters.Logprobs);
        Assert.Null(e.Parameters.TopLogprobs);
        Assert.Null(e.Parameters.MaxTokens);
    }

    [Fact]
    public void Read_Embeddings_TokenInputsAndBothEncodings()
    {
        var floats = new[] { 0.5f, -1.25f, 3f };
        var base64 = Convert.ToBase64String(floats.SelectMany(BitConverter.GetBytes).ToArray());
        var e = Read(RouteKinds.Embeddings, """{"model":"e","input":[[1,2,3],[4]]}""",
            $$"""{"object":"list","data":[{"index":0,"embedding":[0.5,-1.25,3]},{"index":1,"embedding":"{{base64}}"},{"index":2,"embedding":"not base64!"}]}""");

        Assert.Equal("1 2 3\n4\n", e.PromptText);
        Assert.Equal(2, e.ReturnedEmbeddings.Count);
        Assert.All(e.ReturnedEmbeddings, v => Assert.Equal(floats, v));
    }

    [Fact]
    public void Read_LongPrompt_IsCut()
    {
        var e = Read(RouteKinds.Embeddings, $$"""{"model":"e","input":"{{new string('a', QueryEventReader.MaxPromptCharacters + 10)}}"}""");

        Assert.Equal(QueryEventReader.MaxPromptCharacters, e.PromptText.Length);
    }

    [Fact]
    public void Hash_IsStableAcrossProcesses()
        // SHA-256("hello") = 2cf24dba5fb0a30e…: the first 8 bytes, big-endian.
        => Assert.Equal(0x2cf24dba5fb0a30eUL, QueryEventReader.Hash("hello"));

    [Theory]
    [InlineData(1)]
    [InlineData(400)]
    [InlineData(20_000)]
    public void Hash_AnyLengthAndRepeats_FirstEightBytesOfTheSha256(int repeats)
    {
        // Multi-byte UTF-8 (é, €, an emoji) past the stack buffer's size, asked in turn so each is hashed afresh and again.
        var long1 = string.Concat(Enumerable.Repeat("é€😀a", repeats));
        var long2 = long1 + "!";
        foreach (var prompt in new[] { long1, long1, long2, long1, long2, long2 })
        {
            var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(prompt));
            Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest), QueryEventReader.Hash(prompt));
        }
    }

    [Fact]
    public void Read_NotJson_Throws()
        => Assert.ThrowsAny<System.Text.Json.JsonException>(() => Read(RouteKinds.ChatCompletions, "{nope"));
}
