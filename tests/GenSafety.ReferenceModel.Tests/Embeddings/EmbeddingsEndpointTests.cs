using System.Buffers.Binary;
using GenSafety.ReferenceModel.Tests.TestHost;
using OpenAI.Embeddings;

namespace GenSafety.ReferenceModel.Tests.Embeddings;

[Collection(SharedHostGroup.Name)]
public sealed class EmbeddingsEndpointTests(SharedHost shared)
{
    private readonly ReferenceModelHost _host = shared.Host;

    private EmbeddingClient Client => _host.OpenAI().GetEmbeddingClient("reference-minilm");

    [Fact]
    public async Task GenerateEmbeddings_OpenAIClient_UnitVectorsOf384()
    {
        OpenAIEmbeddingCollection embeddings = await Client.GenerateEmbeddingsAsync(["A man is eating food.", "A cheetah chases its prey."]);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal("reference-minilm", embeddings.Model);
        Assert.True(embeddings.Usage.InputTokenCount > 10);
        foreach (var embedding in embeddings)
        {
            var vector = embedding.ToFloats().ToArray();
            Assert.Equal(384, vector.Length);
            Assert.Equal(1.0, Math.Sqrt(vector.Sum(x => (double)x * x)), 4);
        }
    }

    [Fact]
    public async Task GenerateEmbeddings_Paraphrases_MoreSimilarThanUnrelatedSentences()
    {
        OpenAIEmbeddingCollection e = await Client.GenerateEmbeddingsAsync([
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "The new movie is awesome.",
            "The new film is so great.",
            "A monkey is playing drums.",
        ]);
        var v = e.Select(x => x.ToFloats().ToArray()).ToArray();

        Assert.True(Cosine(v[0], v[1]) > Cosine(v[0], v[2]) + 0.3);
        Assert.True(Cosine(v[2], v[3]) > Cosine(v[2], v[4]) + 0.3);
        Assert.True(Cosine(v[2], v[3]) > 0.7);
    }

    [Fact]
    public async Task Embeddings_Base64_DecodesToTheFloatValues()
    {
        const string input = """{"model":"m","input":["first sentence","a second, longer sentence that pads the batch"],"encoding_format":"%"}""";
        var (_, floats) = await HttpJson.PostAsync(_host.Http, "/v1/embeddings", input.Replace("%", "float", StringComparison.Ordinal));
        var (_, base64) = await HttpJson.PostAsync(_host.Http, "/v1/embeddings", input.Replace("%", "base64", StringComparison.Ordinal));

        for (var i = 0; i < 2; i++)
        {
            var expected = floats.GetProperty("data")[i].GetProperty("embedding").EnumerateArray().Select(x => x.GetSingle()).ToArray();
            var bytes = Convert.FromBase64String(base64.GetProperty("data")[i].GetProperty("embedding").GetString()!);
            var decoded = Enumerable.Range(0, bytes.Length / 4).Select(j => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(j * 4))).ToArray();
            Assert.Equal(expected, decoded);
        }
    }

    [Fact]
    public async Task Embeddings_InputInBatch_MatchesInputAlone()
    {
        const string sentence = "Short one.";
        var (_, alone) = await HttpJson.PostAsync(_host.Http, "/v1/embeddings", $$"""{"model":"m","input":"{{sentence}}","dimensions":384}""");
        var (_, batch) = await HttpJson.PostAsync(_host.Http, "/v1/embeddings",
            $$"""{"model":"m","input":["A much longer sentence so that the short one gets padded in its batch.","{{sentence}}"]}""");

        var a = alone.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        var b = batch.GetProperty("data")[1].GetProperty("embedding").EnumerateArray().Select(x => x.GetSingle()).ToArray();
        Assert.Equal(1, batch.GetProperty("data")[1].GetProperty("index").GetInt32());
        Assert.True(Cosine(a, b) > 0.99999, "padding must not change an embedding");
    }

    [Fact]
    public async Task Embeddings_ExecutionProviderHeader_NamesProvider()
    {
        using var request = HttpJson.Request("/v1/embeddings", """{"model":"m","input":"x y z"}""");
        using var response = await _host.Http.SendAsync(request);

        Assert.Contains(response.Headers.GetValues(ReferenceModelHeaders.ExecutionProvider).Single(), new[] { "CPU", "CUDA" });
    }

    [Fact]
    public async Task Embeddings_LongInput_TruncatedTo256Tokens()
    {
        var text = string.Join(' ', Enumerable.Repeat("word", 1000));
        var (status, body) = await HttpJson.PostAsync(_host.Http, "/v1/embeddings", $$"""{"model":"m","input":"{{text}}"}""");

        Assert.Equal(200, (int)status);
        Assert.Equal(256, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
