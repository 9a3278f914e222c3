namespace GenSafety.ReferenceModel;

/// <summary>
/// Counts the model requests (<c>/v1/*</c>) this server has seen, so that in-process tests can observe
/// what reached the model. Registered as a singleton; all members are thread-safe.
/// </summary>
public sealed class ReferenceModelActivity
{
    private long _started;
    private long _completed;
    private long _cancelled;

    /// <summary>Requests that reached the model.</summary>
    public long RequestsStarted => Interlocked.Read(ref _started);

    /// <summary>Requests that ran to completion (including those answered with an error).</summary>
    public long RequestsCompleted => Interlocked.Read(ref _completed);

    /// <summary>Requests aborted by the client before the response was complete.</summary>
    public long RequestsCancelled => Interlocked.Read(ref _cancelled);

    /// <summary>Requests started but neither completed nor cancelled yet.</summary>
    public long RequestsInFlight => RequestsStarted - RequestsCompleted - RequestsCancelled;

    internal void OnStarted() => Interlocked.Increment(ref _started);

    internal void OnCompleted() => Interlocked.Increment(ref _completed);

    internal void OnCancelled() => Interlocked.Increment(ref _cancelled);
}
