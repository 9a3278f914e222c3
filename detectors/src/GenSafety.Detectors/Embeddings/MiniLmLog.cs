using Microsoft.Extensions.Logging;

namespace GenSafety.Detectors.Embeddings;

/// <summary>Log messages of <see cref="MiniLmEmbedder"/> (event ids 4100–4199 belong to embeddings).</summary>
internal static partial class MiniLmLog
{
    [LoggerMessage(4100, LogLevel.Warning, "CUDA execution provider unavailable on device {DeviceId} ({Reason}); MiniLM embeddings run on the CPU.")]
    public static partial void CudaFallback(ILogger logger, int deviceId, string reason);

    [LoggerMessage(4101, LogLevel.Information, "CUDA is not available on device {DeviceId} ({Reason}); MiniLM embeddings run on the CPU.")]
    public static partial void CudaNotAvailable(ILogger logger, int deviceId, string reason);

    [LoggerMessage(4102, LogLevel.Information, "MiniLM embedder loaded on {Provider} in {Milliseconds:F0} ms.")]
    public static partial void Loaded(ILogger logger, string provider, double milliseconds);
}
