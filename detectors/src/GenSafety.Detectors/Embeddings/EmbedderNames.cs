namespace GenSafety.Detectors.Embeddings;

/// <summary>Names of the built-in embedders: the service keys of <see cref="ITextEmbedder"/> and the values configuration uses.</summary>
public static class EmbedderNames
{
    /// <summary><see cref="HashingEmbedder"/>: character n-gram feature hashing, microseconds per text on a CPU.</summary>
    public const string Hashing = "hashing";

    /// <summary><see cref="MiniLmEmbedder"/>: all-MiniLM-L6-v2 sentence embeddings through ONNX Runtime (CUDA or CPU).</summary>
    public const string MiniLm = "minilm";

    /// <summary>Every built-in name.</summary>
    public static IReadOnlyList<string> All { get; } = [Hashing, MiniLm];
}
