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
    /// <summary>Levels (bit k = level k) at which the request must carry a valid proof-of-work.</summary>
    public int ProofOfWorkLevels { get; init; }

    /// <summary>Levels (bit k = level k) at which the request is refused as blocked.</summary>
    public int BlockLevels { get; init; }

    /// <summary>The proof-of-work the request carried, already checked for signature, binding, expiry and work.</summary>
    public ProofOfWorkProof Proof { get; init; } = ProofOfWorkProof.None;

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

/// <summary>A proof-of-work carried by a request, as checked locally; redeeming it (single use) is part of admission.</summary>
/// <param name="Status">0: none, 1: valid and not yet redeemed here, 2: present but invalid.</param>
/// <param name="TokenId">The token's id (for the replay marker) when valid.</param>
/// <param name="ExpiresAt">The token's expiry when valid.</param>
public sealed record ProofOfWorkProof(int Status, string? TokenId, DateTimeOffset ExpiresAt)
{
    /// <summary>No proof.</summary>
    public static ProofOfWorkProof None { get; } = new(0, null, default);

    /// <summary>A proof that failed local checks.</summary>
    public static ProofOfWorkProof Invalid { get; } = new(2, null, default);

    /// <summary>A proof that passed local checks.</summary>
    public static ProofOfWorkProof Valid(string tokenId, DateTimeOffset expiresAt) => new(1, tokenId, expiresAt);
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
