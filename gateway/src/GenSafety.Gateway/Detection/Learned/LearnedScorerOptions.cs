using GenSafety.Detectors.Embeddings;

namespace GenSafety.Gateway.Detection.Learned;

/// <summary>
/// The learned scorer (<c>GenSafety:Detection:Learned</c>), used when <c>GenSafety:Detection:Fusion</c> is
/// <c>learned</c>: which model, where it runs, how often its file is checked for a new version.
/// </summary>
public sealed class LearnedScorerOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = DetectionOptions.SectionName + ":Learned";

    /// <summary>The ONNX model file; empty: the model built into the gateway.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Where ONNX Runtime runs the model: <c>auto</c> (CUDA when present), <c>cuda</c> or <c>cpu</c>.</summary>
    public ExecutionProviderPreference Provider { get; set; } = ExecutionProviderPreference.Auto;

    /// <summary>CUDA device.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>Threads within an operator (0: ONNX Runtime's default). The model is small: 1 keeps it off the request threads' cores.</summary>
    public int IntraOpNumThreads { get; set; } = 1;

    /// <summary>How often <see cref="ModelPath"/> is checked for changes (a changed file is loaded; a bad one refused).</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Clients whose feature windows are kept in memory (least recently seen dropped first).</summary>
    public int MaxClients { get; set; } = 20_000;
}
