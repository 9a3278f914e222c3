using GenSafety.Gateway.Identity;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>One request asking to be admitted.</summary>
/// <param name="Identity">Who sent it.</param>
/// <param name="InputTokens">Tokens of the prompt, counted before admission.</param>
/// <param name="ReservedOutputTokens">Output tokens reserved now and reconciled later (<see cref="PolicyLimits.ReserveOutputTokens"/>).</param>
/// <param name="IsStream">Whether it is a streaming request (takes a concurrent-stream slot).</param>
/// <param name="Now">
/// The caller's clock. Every limit is computed from it (the Redis script too), so all replicas must use
/// synchronised clocks; tests pass a fixed time.
/// </param>
public sealed record AdmissionRequest(ClientIdentity Identity, long InputTokens, long ReservedOutputTokens, bool IsStream, DateTimeOffset Now)
{
    /// <summary>Tokens charged at admission: input plus reserved output.</summary>
    public long ReservedTokens => InputTokens + ReservedOutputTokens;

    /// <summary>Throws unless the request is well formed (ids valid, counts non-negative).</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Identity);
        State.StateIds.Validate(Identity.Tenant, "Identity.Tenant");
        State.StateIds.Validate(Identity.ClientId, "Identity.ClientId");
        ArgumentOutOfRangeException.ThrowIfNegative(InputTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(ReservedOutputTokens);
    }
}

/// <summary>What an admitted request holds until it ends: pass it to reconciliation and stream release.</summary>
/// <param name="Id">Unique id (also the concurrent-stream slot's name).</param>
/// <param name="Identity">Who was admitted.</param>
/// <param name="Limits">The limits it was admitted under.</param>
/// <param name="InputTokens">Input tokens charged.</param>
/// <param name="ReservedOutputTokens">Output tokens reserved.</param>
/// <param name="IsStream">Whether it holds a stream slot.</param>
/// <param name="AdmittedAt">The admission time (selects the daily quota's day).</param>
/// <param name="Backend">The store that admitted it (<c>redis</c> or <c>memory</c>); reconciliation goes to the same one.</param>
public sealed record AdmissionReservation(
    string Id, ClientIdentity Identity, PolicyLimits Limits, long InputTokens, long ReservedOutputTokens, bool IsStream,
    DateTimeOffset AdmittedAt, string Backend);
