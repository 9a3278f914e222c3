namespace GenSafety.ReferenceModel;

/// <summary>
/// Settings of the reference model server, bound from the configuration section <see cref="SectionName"/>
/// (environment variables: <c>ReferenceModel__Order=6</c>) and validated when the host starts.
/// </summary>
public sealed class ReferenceModelOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "ReferenceModel";

    /// <summary>Id reported for the text model (any model name is accepted on text endpoints). Default <c>reference-ngram</c>.</summary>
    public string TextModelId { get; set; } = "reference-ngram";

    /// <summary>Id of the embedding model. Default <c>reference-minilm</c>.</summary>
    public string EmbeddingModelId { get; set; } = "reference-minilm";

    /// <summary>Id of the image model. Default <c>reference-image</c>.</summary>
    public string ImageModelId { get; set; } = "reference-image";

    /// <summary>
    /// Folder holding the shipped data (corpus, members, non-members, memorized image prompts). Default:
    /// <c>ReferenceModelData</c> next to the application's assemblies. (The MiniLM model comes with the detectors
    /// library, from <c>DetectorsData/minilm/</c> next to the assemblies.)
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// Largest n-gram order (context tokens + 1), 1 to 64. Default 32. Contexts are variable-length: a context is
    /// only extended while it is ambiguous in training, so long orders cost little.
    /// </summary>
    public int Order { get; set; } = 32;

    /// <summary>When true, logits are <c>W·h</c> with a fixed vocabulary×<see cref="HiddenSize"/> matrix, so they have rank <see cref="HiddenSize"/>. Default false.</summary>
    public bool LowRankLogits { get; set; }

    /// <summary>Hidden size d of the low-rank mode, 8 to 1024. Default 64.</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Seed of the low-rank output matrix W. Default 1234.</summary>
    public int LowRankSeed { get; set; } = 1234;

    /// <summary>Delay between streamed tokens in milliseconds (header <c>x-reference-token-delay-ms</c> overrides it). Default 0.</summary>
    public int StreamTokenDelayMs { get; set; }

    /// <summary>Delay before response headers are sent, in milliseconds (header <c>x-reference-delay-ms</c> overrides it). Default 0.</summary>
    public int ResponseDelayMs { get; set; }

    /// <summary>Completion length when a chat request sets no limit. Default 256.</summary>
    public int DefaultChatMaxTokens { get; set; } = 256;

    /// <summary>Largest accepted <c>max_tokens</c>. Default 4096.</summary>
    public int MaxTokensLimit { get; set; } = 4096;

    /// <summary>Largest accepted <c>n</c> for text endpoints. Default 16.</summary>
    public int MaxChoices { get; set; } = 16;

    /// <summary>Largest accepted request body in bytes; larger bodies get 413. Default 4 MiB.</summary>
    public int MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Try the CUDA execution provider for embeddings (falls back to CPU with a warning). Default false.</summary>
    public bool UseCuda { get; set; }

    /// <summary>CUDA device used when <see cref="UseCuda"/> is true. Default 0.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>ONNX Runtime intra-op threads for embeddings; 0 lets ONNX Runtime choose. Default 0.</summary>
    public int EmbeddingThreads { get; set; }

    /// <summary>Inputs per ONNX Runtime batch. Default 32.</summary>
    public int EmbeddingBatchSize { get; set; } = 32;

    /// <summary>Largest number of inputs in one embeddings request. Default 2048.</summary>
    public int MaxEmbeddingInputs { get; set; } = 2048;

    /// <summary>
    /// Image prompts the image model has "memorized": they return the same training image whatever the seed.
    /// Null (the default) uses the shipped list <c>memorized-images.json</c>.
    /// </summary>
    public IList<string>? MemorizedImagePrompts { get; set; }
}
