namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Admission control: every limit of a policy checked and charged atomically in one step
/// (on Redis, one script in one round trip), reconciliation of reserved output tokens, and stream slots.
/// </summary>
public interface IAdmissionStore
{
    /// <summary>Backend name: <c>redis</c>, <c>memory</c> or, for the fail-over decorator, the one it uses now.</summary>
    string Kind { get; }

    /// <summary>
    /// Checks requests, tokens (input plus reserved output), concurrent streams and the daily quota; when all
    /// pass, charges them all, otherwise charges nothing and names the limit that failed.
    /// </summary>
    /// <exception cref="State.StateStoreUnavailableException">The shared store is unreachable (and the failure mode is closed).</exception>
    ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, PolicyLimits limits, CancellationToken cancellationToken);

    /// <summary>
    /// Settles the reservation with the real output token count: returns <c>reserved − actual</c> to the token
    /// limit and the daily quota (a negative value is charged extra). Returns that difference.
    /// </summary>
    ValueTask<long> ReconcileAsync(AdmissionReservation reservation, long actualOutputTokens, CancellationToken cancellationToken);

    /// <summary>Frees the reservation's concurrent-stream slot (no-op for a non-streaming request).</summary>
    ValueTask ReleaseStreamAsync(AdmissionReservation reservation, CancellationToken cancellationToken);

    /// <summary>
    /// Everything after the response in one step (on Redis, one script): <see cref="ReconcileAsync"/>,
    /// <see cref="ReleaseStreamAsync"/> and, when <paramref name="usage"/> is given, one request and its tokens added
    /// to the client's usage counters.
    /// </summary>
    ValueTask SettleAsync(AdmissionReservation reservation, long actualOutputTokens, UsageDelta? usage, CancellationToken cancellationToken);
}

/// <summary>Tokens to add to a client's usage counters with one request.</summary>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Completion tokens.</param>
public sealed record UsageDelta(long InputTokens, long OutputTokens);
