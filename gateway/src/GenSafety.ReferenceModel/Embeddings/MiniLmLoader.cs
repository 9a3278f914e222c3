using System.Collections.Concurrent;
using GenSafety.Detectors.Embeddings;

namespace GenSafety.ReferenceModel.Embeddings;

/// <summary>
/// Creates the detectors library's MiniLM embedder once per process and settings: tests and load tests start many
/// reference-model hosts, and each load reads 90 MB and builds an ONNX Runtime session.
/// </summary>
internal static class MiniLmLoader
{
    private static readonly ConcurrentDictionary<(bool Cuda, int Device, int Threads, int BatchSize), Lazy<MiniLmEmbedder>> Embedders = new();

    public static MiniLmEmbedder Get(ReferenceModelOptions options, ILogger logger)
    {
        var key = (options.UseCuda, options.CudaDeviceId, options.EmbeddingThreads, options.EmbeddingBatchSize);
        return Embedders.GetOrAdd(key, k => new Lazy<MiniLmEmbedder>(() => MiniLmEmbedder.Create(
            new MiniLmEmbedderOptions
            {
                // UseCuda asks for CUDA and falls back to the CPU with a warning; otherwise the CPU only.
                Provider = k.Cuda ? ExecutionProviderPreference.Cuda : ExecutionProviderPreference.Cpu,
                CudaDeviceId = k.Device,
                IntraOpNumThreads = k.Threads,
                MaxBatchSize = k.BatchSize,
            },
            logger))).Value;
    }
}
