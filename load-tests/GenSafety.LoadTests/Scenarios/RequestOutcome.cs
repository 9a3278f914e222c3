namespace GenSafety.LoadTests.Scenarios;

/// <summary>
/// The result of one request. <see cref="FirstTokenTimestamp"/> is a <see cref="System.Diagnostics.Stopwatch"/>
/// timestamp (0 when the scenario does not stream); <see cref="Error"/> is a short, bounded kind
/// ("HTTP 429", "timeout", ...) so that errors can be counted per kind.
/// </summary>
internal readonly record struct RequestOutcome(string? Error, long FirstTokenTimestamp, bool IsTransportFailure)
{
    public bool Success => Error is null;

    public static RequestOutcome Ok(long firstTokenTimestamp = 0) => new(null, firstTokenTimestamp, false);

    public static RequestOutcome Failed(string error, bool transport = false) => new(error, 0, transport);
}
