using GenSafety.Gateway.Streaming;

namespace GenSafety.Gateway.Tests.Streaming;

/// <summary>An <see cref="IStreamOutput"/> that keeps what a stream-transform session writes, for unit tests.</summary>
internal sealed class CollectingStreamOutput : IStreamOutput
{
    public List<SseEvent> Events { get; } = [];

    public StreamEndReason? EndReason { get; private set; }

    public bool IsEnded => EndReason is not null;

    public ValueTask WriteAsync(SseEvent sseEvent, CancellationToken cancellationToken)
    {
        Events.Add(sseEvent);
        return ValueTask.CompletedTask;
    }

    public void End(StreamEndReason reason) => EndReason = reason;
}
