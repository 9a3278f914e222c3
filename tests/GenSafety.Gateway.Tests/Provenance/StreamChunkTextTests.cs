using System.Text;
using System.Text.Json.Nodes;
using GenSafety.Gateway.Provenance;

namespace GenSafety.Gateway.Tests.Provenance;

/// <summary>Stream chunks read without a tree, and a changed delta spliced into the original bytes.</summary>
public sealed class StreamChunkTextTests
{
    [Theory]
    [InlineData(true, """{"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":"Caf\u00e9 \"big\" "},"finish_reason":null}],"x":[1,{"y":2}]}""", "Café \"big\" ")]
    [InlineData(false, """{"id":"c1","object":"text_completion","choices":[{"text":"a\nb","index":0,"logprobs":null,"finish_reason":"length"}]}""", "a\nb")]
    public void TryRead_ThenSplice_ChangesOnlyTheText(bool chat, string chunk, string expected)
    {
        var utf8 = Encoding.UTF8.GetBytes(chunk);
        var deltas = new List<StreamChunkText.ChoiceDelta>();

        Assert.True(StreamChunkText.TryRead(utf8, chat, deltas));
        var delta = Assert.Single(deltas);
        Assert.Equal(expected, delta.Text);
        var spliced = StreamChunkText.Splice(utf8, [(delta.Start, delta.Length, "ünï \"q\"\n")]);

        var before = JsonNode.Parse(chunk)!.AsObject();
        var after = JsonNode.Parse(spliced)!.AsObject();
        var holder = chat ? (JsonObject)after["choices"]![0]!["delta"]! : (JsonObject)after["choices"]![0]!;
        Assert.Equal("ünï \"q\"\n", holder[chat ? "content" : "text"]!.GetValue<string>());
        holder[chat ? "content" : "text"] = expected;
        Assert.True(JsonNode.DeepEquals(before, after));
        Assert.Equal(!chat, delta.Finished);
    }

    [Fact]
    public void TryRead_SeveralChoices_IndexesAndFinishWithoutText()
    {
        var utf8 = """{"choices":[{"index":1,"delta":{"content":"x"}},{"index":0,"delta":{},"finish_reason":"stop"},{"index":2,"delta":{"content":null,"tool_calls":[{"id":"t"}]}}]}"""u8.ToArray();
        var deltas = new List<StreamChunkText.ChoiceDelta>();

        Assert.True(StreamChunkText.TryRead(utf8, chat: true, deltas));

        Assert.Equal([(1, "x", false), (0, null, true), (2, null, false)], deltas.Select(d => (d.Index, d.Text, d.Finished)));
        Assert.Equal([0, 1, 2], deltas.Select(d => d.Position));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("""{"id":"x"}""")]
    [InlineData("""{"choices":""")]
    [InlineData("not json")]
    public void TryRead_NotAChunkWithChoices_False(string data)
        => Assert.False(StreamChunkText.TryRead(Encoding.UTF8.GetBytes(data), chat: true, []));
}
