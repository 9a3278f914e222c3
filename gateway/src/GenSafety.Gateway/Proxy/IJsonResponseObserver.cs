namespace GenSafety.Gateway.Proxy;

/// <summary>
/// Reads a buffered (non-streamed) successful upstream JSON response as raw UTF-8, before any
/// <see cref="IJsonResponseTransform"/> runs, without changing it. Unlike a transform, an observer never makes the
/// handler parse the body into a tree or re-serialize it, so watching every response costs only what the observer
/// itself does. Registered in DI as <c>IJsonResponseObserver</c>; must be cheap and must not throw.
/// </summary>
public interface IJsonResponseObserver
{
    /// <summary>Looks at <paramref name="body"/>; the span is valid only during the call.</summary>
    void Observe(JsonResponseContext context, ReadOnlySpan<byte> body);
}
