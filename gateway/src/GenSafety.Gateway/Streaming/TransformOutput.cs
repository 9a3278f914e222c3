namespace GenSafety.Gateway.Streaming;

/// <summary>The <see cref="IStreamOutput"/> of session <c>i</c>: writes go to session <c>i + 1</c>, or to the client after the last.</summary>
internal sealed class TransformOutput : IStreamOutput
{
    private readonly SseStreamPumpRun _run;
    private readonly int _next;

    public TransformOutput(SseStreamPumpRun run, int next)
    {
        _run = run;
        _next = next;
    }

    /// <inheritdoc />
    public bool IsEnded => _run.IsEnded;

    /// <inheritdoc />
    public ValueTask WriteAsync(SseEvent sseEvent, CancellationToken cancellationToken) =>
        _run.DeliverAsync(_next, sseEvent, cancellationToken);

    /// <inheritdoc />
    public void End(StreamEndReason reason) => _run.End(reason);
}
