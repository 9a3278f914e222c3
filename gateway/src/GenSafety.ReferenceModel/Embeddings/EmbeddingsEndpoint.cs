using System.Buffers.Binary;
using GenSafety.Detectors.Embeddings;
using GenSafety.ReferenceModel.Http;
using Microsoft.Extensions.Options;

namespace GenSafety.ReferenceModel.Embeddings;

/// <summary><c>POST /v1/embeddings</c>: MiniLM sentence embeddings, as floats or base64 little-endian float32.</summary>
internal sealed class EmbeddingsEndpoint
{
    private readonly ReferenceModelOptions _options;
    private readonly Lazy<MiniLmEmbedder> _embedder;

    public EmbeddingsEndpoint(IOptions<ReferenceModelOptions> options, ILogger<EmbeddingsEndpoint> logger)
    {
        _options = options.Value;
        _embedder = new Lazy<MiniLmEmbedder>(() => MiniLmLoader.Get(_options, logger));
    }

    /// <summary>The embedder, loaded on first use.</summary>
    public MiniLmEmbedder Embedder => _embedder.Value;

    public async Task HandleAsync(HttpContext context)
    {
        var request = await JsonBody.ParseAsync(context, _options.MaxRequestBodyBytes, root => EmbeddingRequest.Parse(root, _options));

        var embedder = Embedder;
        var tokenized = request.Inputs.Select(embedder.Tokenize).ToArray();

        // The embedder batches inputs of similar length together (EmbeddingBatchSize per run) so little padding is computed.
        var vectors = embedder.Embed(tokenized, context.RequestAborted);

        var tokens = tokenized.Sum(t => t.Length);
        using var json = new PooledJson();
        var writer = json.Writer;
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        for (var i = 0; i < vectors.Length; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("object", "embedding");
            writer.WriteNumber("index", i);
            if (request.Base64)
            {
                writer.WriteBase64String("embedding", ToLittleEndianBytes(vectors[i]));
            }
            else
            {
                writer.WriteStartArray("embedding");
                foreach (var value in vectors[i])
                {
                    writer.WriteNumberValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("model", _options.EmbeddingModelId);
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", tokens);
        writer.WriteNumber("total_tokens", tokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
        context.Response.ContentType = "application/json";
        context.Response.Headers[ReferenceModelHeaders.ExecutionProvider] = embedder.ExecutionProvider;
        await json.CopyToAsync(context.Response, context.RequestAborted);
    }

    /// <summary>float32 little-endian bytes, the layout of OpenAI's base64 embeddings.</summary>
    private static byte[] ToLittleEndianBytes(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return bytes;
    }
}
