using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Text.Json;
using GenSafety.Gateway.Tests.TestHosts;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Images;
using OpenAI.Models;

namespace GenSafety.Gateway.Tests.EndToEnd;

/// <summary>The official OpenAI .NET client, unchanged, through the gateway to the reference model.</summary>
[Collection(GatewayTestGroup.Name)]
public sealed class OpenAIClientTests
{
    private const int EndOfText = 100257; // <|endoftext|> in cl100k_base

    private readonly GatewayFixture _fixture;

    public OpenAIClientTests(GatewayFixture fixture) => _fixture = fixture;

    private OpenAIClientOptions Options(TimeSpan? timeout = null) => new()
    {
        Endpoint = new Uri(_fixture.Gateway.PublicUrl + "/v1"),
        NetworkTimeout = timeout ?? TimeSpan.FromSeconds(60),
        RetryPolicy = new ClientRetryPolicy(0),
    };

    private ApiKeyCredential Key => new(_fixture.ClientKey);

    [Fact]
    public async Task ChatCompletion_NonStreaming_ReturnsText()
    {
        var client = new ChatClient("reference-ngram", Key, Options());

        ChatCompletion completion = await client.CompleteChatAsync(
            [new UserChatMessage("Tell me about the sea")],
            new ChatCompletionOptions { MaxOutputTokenCount = 16, Temperature = 0 });

        Assert.NotEmpty(completion.Content[0].Text);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Contains(completion.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length });
    }

    [Fact]
    public async Task ChatCompletion_Streaming_FirstChunkArrivesWhileUpstreamStillGenerating()
    {
        const int tokens = 24;
        const int delayMs = 60;
        var options = Options();
        options.AddPolicy(new HeaderPolicy("x-reference-token-delay-ms", delayMs.ToString()), PipelinePosition.PerCall);
        var client = new ChatClient("reference-ngram", Key, options);
        var watch = Stopwatch.StartNew();
        TimeSpan? firstContent = null;
        var text = new System.Text.StringBuilder();

        var chatOptions = new ChatCompletionOptions { MaxOutputTokenCount = tokens, Temperature = 0 };
        chatOptions.LogitBiases.Add(EndOfText, -100); // the model cannot stop early: the stream is long and paced

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Tell me about the sea")], chatOptions))
        {
            foreach (var part in update.ContentUpdate)
            {
                firstContent ??= watch.Elapsed;
                text.Append(part.Text);
            }
        }

        var total = watch.Elapsed;
        Assert.NotNull(firstContent);
        Assert.NotEmpty(text.ToString());
        // The upstream paces tokens; a buffering proxy would deliver the first one only at the end.
        Assert.True(total - firstContent.Value > TimeSpan.FromMilliseconds(delayMs * 4),
            $"first content at {firstContent.Value.TotalMilliseconds} ms, stream ended at {total.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Completions_WithLogprobs_ReturnsTokenLogprobs()
    {
        // The client's legacy-completions type is internal in this version; its pipeline (auth, retries, headers)
        // is public, so the request still goes through the official client stack.
        var pipeline = new ChatClient("reference-ngram", Key, Options()).Pipeline;
        using var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(_fixture.Gateway.PublicUrl + "/v1/completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromString("""{"model":"reference-ngram","prompt":"The sea is","max_tokens":8,"temperature":0,"logprobs":3}"""));

        await pipeline.SendAsync(message);

        Assert.Equal(200, message.Response!.Status);
        using var json = JsonDocument.Parse(message.Response.Content.ToString());
        var choice = json.RootElement.GetProperty("choices")[0];
        var logprobs = choice.GetProperty("logprobs");
        Assert.True(logprobs.GetProperty("tokens").GetArrayLength() > 0);
        Assert.All(logprobs.GetProperty("token_logprobs").EnumerateArray(), lp => Assert.True(lp.GetDouble() <= 0));
    }

    [Fact]
    public async Task Embeddings_ReturnUnitVectors()
    {
        var client = new EmbeddingClient("reference-minilm", Key, Options());

        OpenAIEmbeddingCollection embeddings = await client.GenerateEmbeddingsAsync(["a cat sat on the mat", "the stock market fell"]);

        Assert.Equal(2, embeddings.Count);
        foreach (var embedding in embeddings)
        {
            var vector = embedding.ToFloats().ToArray();
            Assert.Equal(384, vector.Length);
            var norm = Math.Sqrt(vector.Sum(v => (double)v * v));
            Assert.InRange(norm, 0.99, 1.01);
        }
    }

    [Fact]
    public async Task Images_Generate_ReturnsPng()
    {
        var client = new ImageClient("reference-image", Key, Options());

        GeneratedImage image = await client.GenerateImageAsync("a lighthouse at dusk",
            new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes, Size = GeneratedImageSize.W256xH256 });

        var bytes = image.ImageBytes.ToArray();
        Assert.True(bytes.Length > 100);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
    }

    [Fact]
    public async Task Models_List_ReturnsReferenceModels()
    {
        var client = new OpenAIModelClient(Key, Options());

        OpenAIModelCollection models = await client.GetModelsAsync();

        Assert.Contains(models, m => m.Id == "reference-ngram");
    }

    [Fact]
    public async Task ChatCompletion_WrongKey_ThrowsWith401()
    {
        var client = new ChatClient("reference-ngram", new ApiKeyCredential("gsk_nope_nope"), Options());

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, error.Status);
    }
}
