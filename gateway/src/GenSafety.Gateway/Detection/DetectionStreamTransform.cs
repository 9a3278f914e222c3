using System.Buffers;
using System.Text;
using GenSafety.Gateway.Streaming;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// Watches a streamed response for the detectors: records each choice's finish reason and forwards every event
/// unchanged. Chunks whose finish reason is the usual <c>null</c> are skipped with one string search.
/// </summary>
internal sealed class DetectionStreamTransform : IStreamTransform
{
    public string Name => "detection";

    public IStreamTransformSession? Begin(StreamTransformContext context)
        => context.HttpContext.Features.Get<QueryObservation>() is { } observation ? new Session(observation) : null;

    private sealed class Session(QueryObservation observation) : IStreamTransformSession
    {
        public ValueTask OnEventAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
        {
            var data = sseEvent.Data;
            if (data.Contains("\"finish_reason\"", StringComparison.Ordinal) && !data.Contains("\"finish_reason\":null", StringComparison.Ordinal))
            {
                var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(data.Length));
                var length = Encoding.UTF8.GetBytes(data, buffer);
                FinishReasonScanner.Scan(buffer.AsSpan(0, length), observation);
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return output.WriteAsync(sseEvent, cancellationToken);
        }

        public ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
