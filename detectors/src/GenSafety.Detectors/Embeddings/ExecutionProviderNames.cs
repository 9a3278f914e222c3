namespace GenSafety.Detectors.Embeddings;

/// <summary>Names of the ONNX Runtime execution providers an embedder reports as active.</summary>
public static class ExecutionProviderNames
{
    /// <summary>ONNX Runtime's CPU provider.</summary>
    public const string Cpu = "CPU";

    /// <summary>ONNX Runtime's CUDA provider.</summary>
    public const string Cuda = "CUDA";
}
