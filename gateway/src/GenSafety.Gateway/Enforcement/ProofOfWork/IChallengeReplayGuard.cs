namespace GenSafety.Gateway.Enforcement.ProofOfWork;

/// <summary>Makes each challenge token redeemable once, across every replica that shares the guard's store.</summary>
public interface IChallengeReplayGuard
{
    /// <summary>
    /// Marks token <paramref name="tokenId"/> of <paramref name="tenant"/> as used until <paramref name="expiresAt"/>.
    /// True the first time only; false for every later call until the token has expired (after which
    /// <see cref="ChallengeToken.Verify"/> rejects it anyway).
    /// </summary>
    /// <exception cref="GenSafety.Gateway.State.StateStoreUnavailableException">The shared store could not be reached.</exception>
    ValueTask<bool> TryConsumeAsync(string tenant, string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
