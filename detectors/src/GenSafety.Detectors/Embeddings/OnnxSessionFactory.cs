using Microsoft.ML.OnnxRuntime;

namespace GenSafety.Detectors.Embeddings;

/// <summary>
/// Creates ONNX Runtime sessions the same way for every model the detectors run: the CUDA provider first unless the
/// preference is <see cref="ExecutionProviderPreference.Cpu"/>, the CPU when CUDA cannot be loaded, full graph
/// optimisation and the configured thread counts.
/// </summary>
public static class OnnxSessionFactory
{
    /// <summary>
    /// Builds <typeparamref name="T"/> with <paramref name="create"/> (given the session options and the provider name) on CUDA, then on the CPU if CUDA cannot be loaded;
    /// returns it with the provider it runs on (<see cref="ExecutionProviderNames"/>). <paramref name="cudaUnavailable"/>
    /// hears why CUDA was not used (not called when the preference is CPU).
    /// </summary>
    public static (T Value, string Provider) Create<T>(
        OnnxSessionSettings settings, Func<SessionOptions, string, T> create, Action<string>? cudaUnavailable = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(create);
        if (settings.Provider != ExecutionProviderPreference.Cpu)
        {
            try
            {
                using var cudaOptions = CreateSessionOptions(settings);
                cudaOptions.AppendExecutionProvider_CUDA(settings.CudaDeviceId);
                return (create(cudaOptions, ExecutionProviderNames.Cuda), ExecutionProviderNames.Cuda);
            }
            catch (Exception error) when (error is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                cudaUnavailable?.Invoke(error.Message);
            }
        }

        using var cpuOptions = CreateSessionOptions(settings);
        return (create(cpuOptions, ExecutionProviderNames.Cpu), ExecutionProviderNames.Cpu);
    }

    private static SessionOptions CreateSessionOptions(OnnxSessionSettings settings)
    {
        var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (settings.IntraOpNumThreads > 0)
        {
            sessionOptions.IntraOpNumThreads = settings.IntraOpNumThreads;
        }

        if (settings.InterOpNumThreads > 0)
        {
            sessionOptions.InterOpNumThreads = settings.InterOpNumThreads;
            if (settings.InterOpNumThreads > 1)
            {
                sessionOptions.ExecutionMode = ExecutionMode.ORT_PARALLEL;
            }
        }

        return sessionOptions;
    }
}

/// <summary>Where and with how many threads <see cref="OnnxSessionFactory"/> runs a model.</summary>
/// <param name="Provider">Execution provider preference.</param>
/// <param name="CudaDeviceId">CUDA device.</param>
/// <param name="IntraOpNumThreads">Threads within an operator (0: ONNX Runtime's default).</param>
/// <param name="InterOpNumThreads">Threads across operators (0: ONNX Runtime's default; above 1: parallel execution).</param>
public sealed record OnnxSessionSettings(ExecutionProviderPreference Provider, int CudaDeviceId = 0, int IntraOpNumThreads = 0, int InterOpNumThreads = 0);
