namespace GenSafety.Gateway.Detection.Learned;

/// <summary>Log messages of the learned scorer (event ids 4540-4549).</summary>
internal static partial class LearnedScorerLog
{
    [LoggerMessage(EventId = 4540, EventName = "LearnedModelLoaded", Level = LogLevel.Information,
        Message = "Learned scorer model {Version} loaded from {Source} (sha256 {Sha256}, window {Window}, {Provider}).")]
    public static partial void Loaded(ILogger logger, string version, string source, string sha256, int window, string provider);

    [LoggerMessage(EventId = 4541, EventName = "LearnedModelRefused", Level = LogLevel.Error,
        Message = "Learned scorer model at {Source} refused; model {Version} stays in use. {Reason}")]
    public static partial void Refused(ILogger logger, string source, string version, string reason);

    [LoggerMessage(EventId = 4542, EventName = "LearnedCudaNotAvailable", Level = LogLevel.Information,
        Message = "CUDA not available for the learned scorer ({Reason}); it runs on the CPU.")]
    public static partial void CudaNotAvailable(ILogger logger, string reason);
}
