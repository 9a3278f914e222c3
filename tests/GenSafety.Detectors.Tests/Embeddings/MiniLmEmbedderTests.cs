using GenSafety.Detectors.Embeddings;
using GenSafety.Detectors.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GenSafety.Detectors.Tests.Embeddings;

public sealed class MiniLmEmbedderTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private readonly MiniLmEmbedder _embedder = fixture.Embedder;

    [Fact]
    public async Task EmbedAsync_Sentences_UnitVectorsOf384()
    {
        var vectors = await _embedder.EmbedAsync(["A man is eating food.", "A cheetah chases its prey."]);

        Assert.Equal(2, vectors.Length);
        Assert.All(vectors, v =>
        {
            Assert.Equal(MiniLmEmbedder.OutputDimensions, v.Length);
            Assert.Equal(1.0, Vectors.Norm(v), 4);
        });
        Assert.Equal(ExecutionProviderNames.Cpu, _embedder.ExecutionProvider);
        Assert.Equal(EmbedderNames.MiniLm, _embedder.Name);
    }

    [Fact]
    public async Task EmbedAsync_SentenceTransformersExample_MatchesPublishedScores()
    {
        // The semantic-search example of the sentence-transformers documentation for all-MiniLM-L6-v2 prints these
        // cosine scores (4 decimals) for the query "A man is eating pasta.".
        var v = await _embedder.EmbedAsync([
            "A man is eating pasta.",
            "A man is eating food.",
            "A man is eating a piece of bread.",
            "A cheetah is running behind its prey.",
        ]);

        Assert.Equal(0.7035, Vectors.Cosine(v[0], v[1]), 0.002);
        Assert.Equal(0.5272, Vectors.Cosine(v[0], v[2]), 0.002);
        Assert.Equal(0.0980, Vectors.Cosine(v[0], v[3]), 0.002);
    }

    [Fact]
    public async Task EmbedAsync_Paraphrases_MoreSimilarThanUnrelatedSentences()
    {
        var v = await _embedder.EmbedAsync([
            "The new movie is awesome.",
            "The new film is so great.",
            "A monkey is playing drums.",
        ]);

        Assert.True(Vectors.Cosine(v[0], v[1]) > 0.7);
        Assert.True(Vectors.Cosine(v[0], v[1]) > Vectors.Cosine(v[0], v[2]) + 0.3);
    }

    [Fact]
    public async Task EmbedAsync_MoreInputsThanBatchSize_PaddingAndOrderDoNotChangeVectors()
    {
        // Batch size 4: nine inputs of mixed lengths run as three padded batches, sorted by length.
        string[] texts =
        [
            "Short one.",
            "A much longer sentence so that the short ones get padded in their batch, with many more tokens.",
            "Medium length sentence here.",
            "x",
            "Another fairly long input that talks about gateways, proxies and extraction attacks on models.",
            "Two words",
            "The third long input: embeddings are pooled over the attention mask, never over padding.",
            "ok",
            "Nine.",
        ];

        var batched = await _embedder.EmbedAsync(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var alone = (await _embedder.EmbedAsync([texts[i]]))[0];
            Assert.True(Vectors.Cosine(alone, batched[i]) > 0.99999, $"input {i} changed in its batch");
        }
    }

    [Fact]
    public void Tokenize_LongInput_TruncatedToMaxTokensWithSpecialTokens()
    {
        var tokens = _embedder.Tokenize(string.Join(' ', Enumerable.Repeat("word", 1000)));

        Assert.Equal(256, tokens.Length);
        Assert.Equal(101, tokens[0]);   // [CLS]
        Assert.Equal(102, tokens[^1]);  // [SEP]
    }

    [Fact]
    public async Task EmbedAsync_Empty_ReturnsNoVectors()
    {
        Assert.Empty(await _embedder.EmbedAsync([]));
    }

    [Fact]
    public void Embed_CancelledToken_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => _embedder.Embed([_embedder.Tokenize("hello")], cancellation.Token));
    }

    [Fact]
    public void Create_SmallerMaxTokens_Truncates()
    {
        using var embedder = MiniLmEmbedder.Create(new MiniLmEmbedderOptions { Provider = ExecutionProviderPreference.Cpu, MaxTokens = 16 });

        Assert.Equal(16, embedder.Tokenize(string.Join(' ', Enumerable.Repeat("word", 100))).Length);
    }

    [Theory]
    [InlineData(ExecutionProviderPreference.Cuda, LogLevel.Warning)]
    [InlineData(ExecutionProviderPreference.Auto, LogLevel.Information)]
    public void Create_CudaRequested_UsesCudaOrFallsBackWithLog(ExecutionProviderPreference preference, LogLevel fallbackLevel)
    {
        var logger = new RecordingLogger();

        using var embedder = MiniLmEmbedder.Create(new MiniLmEmbedderOptions { Provider = preference, IntraOpNumThreads = 1 }, logger);

        // On a machine with CUDA (set DETECTORS_EXPECT_CUDA=1 there) the session must run on it; elsewhere the
        // embedder falls back to the CPU and says so at the level the preference implies.
        var expectCuda = Environment.GetEnvironmentVariable("DETECTORS_EXPECT_CUDA") == "1";
        Assert.Equal(expectCuda ? ExecutionProviderNames.Cuda : ExecutionProviderNames.Cpu, embedder.ExecutionProvider);
        var fallbacks = logger.Entries.Where(e => e.Id.Id is 4100 or 4101).ToArray();
        if (embedder.ExecutionProvider == ExecutionProviderNames.Cpu)
        {
            var fallback = Assert.Single(fallbacks);
            Assert.Equal(fallbackLevel, fallback.Level);
            Assert.Contains("CPU", fallback.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(fallbacks);
        }

        Assert.Contains(logger.Entries, e => e.Id.Id == 4102 && e.Message.Contains(embedder.ExecutionProvider, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_CpuRequested_NeverTriesCuda()
    {
        var logger = new RecordingLogger();

        using var embedder = MiniLmEmbedder.Create(new MiniLmEmbedderOptions { Provider = ExecutionProviderPreference.Cpu }, logger);

        Assert.Equal(ExecutionProviderNames.Cpu, embedder.ExecutionProvider);
        Assert.DoesNotContain(logger.Entries, e => e.Id.Id is 4100 or 4101);
    }

    [Fact]
    public async Task Create_ModelAndVocabularyFiles_SameVectorsAsPackage()
    {
        var resources = MiniLmPackage.ReadResources(MiniLmPackage.DefaultPath, MiniLmPackage.ModelResource, MiniLmPackage.VocabularyResource);
        var directory = Directory.CreateTempSubdirectory("minilm-");
        try
        {
            var model = Path.Combine(directory.FullName, "model.onnx");
            var vocabulary = Path.Combine(directory.FullName, "vocab.txt");
            await File.WriteAllBytesAsync(model, resources[MiniLmPackage.ModelResource]);
            await File.WriteAllBytesAsync(vocabulary, resources[MiniLmPackage.VocabularyResource]);

            using var fromFiles = MiniLmEmbedder.Create(new MiniLmEmbedderOptions { Provider = ExecutionProviderPreference.Cpu, ModelPath = model, VocabularyPath = vocabulary });

            var expected = (await _embedder.EmbedAsync(["files or package"]))[0];
            var actual = (await fromFiles.EmbedAsync(["files or package"]))[0];
            Assert.True(Vectors.Cosine(expected, actual) > 0.99999);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Create_InvalidOptions_ListsEveryProblem()
    {
        var error = Assert.Throws<OptionsValidationException>(() => MiniLmEmbedder.Create(new MiniLmEmbedderOptions { MaxBatchSize = 0, MaxTokens = 4 }));

        Assert.Equal(2, error.Failures.Count());
    }

    [Fact]
    public void Embed_AfterDispose_Throws()
    {
        var embedder = MiniLmEmbedder.Create(new MiniLmEmbedderOptions { Provider = ExecutionProviderPreference.Cpu });
        var tokens = embedder.Tokenize("bye");
        embedder.Dispose();
        embedder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => embedder.Embed([tokens]));
    }
}
