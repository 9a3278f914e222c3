namespace GenSafety.Detectors.Embeddings;

/// <summary>Where ONNX Runtime should run a model (configuration values <c>auto</c>, <c>cuda</c>, <c>cpu</c>).</summary>
public enum ExecutionProviderPreference
{
    /// <summary>CUDA when it can be loaded, otherwise the CPU (logged as information: expected on CPU machines).</summary>
    Auto,

    /// <summary>CUDA; if it cannot be loaded, the CPU with a logged warning.</summary>
    Cuda,

    /// <summary>The CPU only.</summary>
    Cpu,
}
