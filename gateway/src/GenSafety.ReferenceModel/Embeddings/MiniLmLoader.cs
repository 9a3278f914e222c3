using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace GenSafety.ReferenceModel.Embeddings;

/// <summary>Creates the MiniLM embedder once per process and settings (tests start many hosts).</summary>
internal static partial class MiniLmLoader
{
    private static readonly ConcurrentDictionary<(string Path, bool Cuda, int Device, int Threads), Lazy<MiniLmEmbedder>> Embedders = new();

    public static MiniLmEmbedder Get(string assemblyPath, bool useCuda, int deviceId, int threads, ILogger logger)
    {
        var key = (Path.GetFullPath(assemblyPath), useCuda, deviceId, threads);
        return Embedders.GetOrAdd(key, k => new Lazy<MiniLmEmbedder>(() => Load(k.Path, k.Cuda, k.Device, k.Threads, logger))).Value;
    }

    private static MiniLmEmbedder Load(string assemblyPath, bool useCuda, int deviceId, int threads, ILogger logger)
    {
        var stopwatch = Stopwatch.StartNew();
        var resources = MiniLmPackage.ReadResources(assemblyPath, MiniLmPackage.ModelResource, MiniLmPackage.VocabularyResource);
        var model = resources[MiniLmPackage.ModelResource];
        var vocabulary = resources[MiniLmPackage.VocabularyResource];
        MiniLmEmbedder? embedder = null;
        if (useCuda)
        {
            try
            {
                using var cudaOptions = CreateOptions(threads);
                cudaOptions.AppendExecutionProvider_CUDA(deviceId);
                embedder = new MiniLmEmbedder(model, vocabulary, cudaOptions, "CUDA");
            }
            catch (Exception error) when (error is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                Log.CudaUnavailable(logger, deviceId, error.Message);
            }
        }

        if (embedder is null)
        {
            using var cpuOptions = CreateOptions(threads);
            embedder = new MiniLmEmbedder(model, vocabulary, cpuOptions, "CPU");
        }

        Log.Loaded(logger, embedder.ExecutionProvider, stopwatch.Elapsed.TotalMilliseconds);
        return embedder;
    }

    private static SessionOptions CreateOptions(int threads)
    {
        var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (threads > 0)
        {
            options.IntraOpNumThreads = threads;
        }

        return options;
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Warning, "CUDA execution provider unavailable on device {DeviceId} ({Reason}); embeddings run on the CPU.")]
        public static partial void CudaUnavailable(ILogger logger, int deviceId, string reason);

        [LoggerMessage(21, LogLevel.Information, "MiniLM embedder loaded on {Provider} in {Milliseconds:F0} ms.")]
        public static partial void Loaded(ILogger logger, string provider, double milliseconds);
    }
}
