using GenSafety.Gateway.Streaming;

namespace GenSafety.Gateway.Tests.Streaming;

/// <summary>A session that records what it saw and passes events on; the other test sessions derive from it.</summary>
internal class PassThroughSession : IStreamTransformSession
{
    public List<SseEvent> Seen { get; } = [];

    public bool Completed { get; private set; }

    public bool Disposed { get; private set; }

    public virtual ValueTask OnEventAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
    {
        Seen.Add(sseEvent);
        return HandleAsync(sseEvent, output, cancellationToken);
    }

    public virtual ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken)
    {
        Completed = true;
        return ValueTask.CompletedTask;
    }

    public virtual ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    protected virtual ValueTask HandleAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken) =>
        output.WriteAsync(sseEvent, cancellationToken);
}

/// <summary>Rewrites every event's data.</summary>
internal sealed class RewritingSession(Func<string, string> rewrite) : PassThroughSession
{
    protected override ValueTask HandleAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken) =>
        output.WriteAsync(sseEvent with { Data = rewrite(sseEvent.Data) }, cancellationToken);
}

/// <summary>Writes an event the client writer must refuse (an event type with a line break).</summary>
internal sealed class BadFieldSession : PassThroughSession
{
    protected override ValueTask HandleAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken) =>
        output.WriteAsync(sseEvent with { EventType = "a\ndata: injected" }, cancellationToken);
}

/// <summary>Holds every event back until the upstream completes, then releases them in order.</summary>
internal sealed class HoldBackSession : PassThroughSession
{
    private readonly List<SseEvent> _held = [];

    public Action? OnReleasing { get; init; }

    public override async ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken)
    {
        await base.OnCompletedAsync(output, cancellationToken);
        OnReleasing?.Invoke();
        foreach (SseEvent sseEvent in _held)
        {
            await output.WriteAsync(sseEvent, cancellationToken);
        }
    }

    protected override ValueTask HandleAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
    {
        _held.Add(sseEvent);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Passes events on until the n-th (1-based), which it does not pass; then ends the stream.</summary>
internal sealed class EndingSession(int endOnEvent, StreamEndReason reason) : PassThroughSession
{
    public static StreamEndReason Blocked { get; } = new("output_blocked", "The output reproduces protected text.", "leak-filter");

    /// <summary>When set, also writes one more event after calling End (it must be dropped).</summary>
    public bool WriteAfterEnd { get; init; }

    /// <summary>When set, ends in <see cref="OnCompletedAsync"/> instead.</summary>
    public bool EndOnCompletion { get; init; }

    public override async ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken)
    {
        await base.OnCompletedAsync(output, cancellationToken);
        if (EndOnCompletion)
        {
            output.End(reason);
        }
    }

    protected override async ValueTask HandleAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
    {
        if (Seen.Count < endOnEvent || EndOnCompletion)
        {
            await output.WriteAsync(sseEvent, cancellationToken);
            return;
        }

        output.End(reason);
        if (WriteAfterEnd)
        {
            Assert.True(output.IsEnded);
            await output.WriteAsync(SseEvent.FromData("{\"after\":\"end\"}"), cancellationToken);
        }
    }
}

/// <summary>Throws on the n-th event (1-based), or on completion when n is 0.</summary>
internal sealed class ThrowingSession(int throwOnEvent) : PassThroughSession
{
    public static InvalidOperationException Failure { get; } = new("Transform bug.");

    public override async ValueTask OnCompletedAsync(IStreamOutput output, CancellationToken cancellationToken)
    {
        await base.OnCompletedAsync(output, cancellationToken);
        if (throwOnEvent == 0)
        {
            throw Failure;
        }
    }

    protected override ValueTask HandleAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken) =>
        Seen.Count == throwOnEvent ? throw Failure : output.WriteAsync(sseEvent, cancellationToken);
}

/// <summary>Misbehaves: writes a [DONE] of its own, and keeps its output to write after the stream closed.</summary>
internal sealed class RogueSession : PassThroughSession
{
    private IStreamOutput? _output;

    public override async ValueTask DisposeAsync()
    {
        // Writing after the pump finished must be ignored, not reach the client.
        if (_output is not null)
        {
            await _output.WriteAsync(SseEvent.FromData("{\"late\":true}"), CancellationToken.None);
        }

        await base.DisposeAsync();
    }

    protected override async ValueTask HandleAsync(SseEvent sseEvent, IStreamOutput output, CancellationToken cancellationToken)
    {
        _output = output;
        await output.WriteAsync(SseEvent.Done, cancellationToken);
        await output.WriteAsync(sseEvent, cancellationToken);
    }
}

/// <summary>Throws from <see cref="DisposeAsync"/>.</summary>
internal sealed class FailingDisposeSession : PassThroughSession
{
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        throw new InvalidOperationException("Dispose failed.");
    }
}

/// <summary>A clock that stands still unless told otherwise.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
