using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using GenSafety.Gateway.Errors;
using GenSafety.Gateway.Hosting;
using GenSafety.Gateway.Identity;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.ProofOfWork;

/// <summary>
/// Issues proof-of-work challenges and redeems proofs (singleton). A challenge goes out as
/// <c>x-gensafety-challenge: &lt;token&gt;; bits=&lt;n&gt;</c> with <c>429 challenge_required</c>; the client retries
/// with <c>x-gensafety-pow: &lt;token&gt;:&lt;nonce&gt;</c>. A valid proof consumes the token (single use).
/// </summary>
public sealed class ProofOfWorkService
{
    /// <summary>Response header carrying a challenge.</summary>
    public const string ChallengeHeaderName = "x-gensafety-challenge";

    /// <summary>Request header carrying a proof.</summary>
    public const string ProofHeaderName = "x-gensafety-pow";

    /// <summary>Error code of the 429 that carries a challenge.</summary>
    public const string ChallengeRequiredCode = ErrorCodes.ChallengeRequired;

    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;
    private readonly IChallengeReplayGuard _replayGuard;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ProofOfWorkService> _logger;
    private readonly ProofOfWorkMetrics _metrics;

    /// <summary>Creates the service; the options must be valid (<see cref="ProofOfWorkOptionsValidator"/>).</summary>
    public ProofOfWorkService(
        IOptions<ProofOfWorkOptions> options,
        IChallengeReplayGuard replayGuard,
        TimeProvider timeProvider,
        IMeterFactory meterFactory,
        ILogger<ProofOfWorkService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(replayGuard);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        ProofOfWorkOptions value = options.Value;
        string? secret = SecretFile.Resolve(value.Secret, value.SecretFile, ProofOfWorkOptions.SectionName + ":Secret");
        if (secret is null)
        {
            // Without a shared secret only this replica can redeem its own challenges: fine for one instance, logged.
            _key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
            ProofOfWorkLog.EphemeralSecret(logger);
        }
        else if (secret.Length < ProofOfWorkOptions.MinSecretLength)
        {
            throw new InvalidOperationException($"{ProofOfWorkOptions.SectionName}:Secret must hold at least {ProofOfWorkOptions.MinSecretLength} characters.");
        }
        else
        {
            _key = Encoding.UTF8.GetBytes(secret);
        }

        _lifetime = value.TokenLifetime;
        _replayGuard = replayGuard;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = new ProofOfWorkMetrics(meterFactory);
        Calibration = DifficultyCalibration.FromOptions(value);
    }

    /// <summary>The configured time↔bits calibration (for choosing <c>bits</c> from risk).</summary>
    public DifficultyCalibration Calibration { get; }

    /// <summary>Issues a challenge of <paramref name="bits"/> leading zero bits for <paramref name="client"/>.</summary>
    public ProofOfWorkChallenge Issue(ClientIdentity client, int bits)
    {
        ArgumentNullException.ThrowIfNull(client);
        DateTimeOffset expiresAt = _timeProvider.GetUtcNow() + _lifetime;
        string token = ChallengeToken.Issue(_key, client, bits, expiresAt);
        ProofOfWorkLog.Issued(_logger, client.Tenant, client.ClientId, bits);
        _metrics.Issued(bits);
        return new ProofOfWorkChallenge(token, bits, DateTimeOffset.FromUnixTimeMilliseconds(expiresAt.ToUnixTimeMilliseconds()),
            string.Create(CultureInfo.InvariantCulture, $"{token}; bits={bits}"));
    }

    /// <summary>
    /// Checks the value of an <c>x-gensafety-pow</c> header (<c>&lt;token&gt;:&lt;nonce&gt;</c>) for <paramref name="client"/>
    /// and, when everything else holds, consumes the token: <see cref="ChallengeResult.Valid"/> the first time,
    /// <see cref="ChallengeResult.Replayed"/> after.
    /// </summary>
    /// <exception cref="GenSafety.Gateway.State.StateStoreUnavailableException">The replay store could not be reached.</exception>
    public async ValueTask<ChallengeVerification> VerifyAsync(string? proofHeaderValue, ClientIdentity client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ChallengeVerification verification = Check(proofHeaderValue, client);
        if (verification is { Result: ChallengeResult.Valid, Claims: { } claims }
            && !await _replayGuard.TryConsumeAsync(claims.Tenant, claims.TokenId, claims.ExpiresAt, cancellationToken).ConfigureAwait(false))
        {
            verification = verification with { Result = ChallengeResult.Replayed };
        }

        _metrics.Verified(verification.Result);
        if (verification.IsValid)
        {
            ProofOfWorkLog.Accepted(_logger, client.Tenant, client.ClientId, verification.Claims!.Bits);
        }
        else
        {
            // Debug only: the volume of rejections is the client's to choose; gensafety.pow.verifications counts them.
            ProofOfWorkLog.Rejected(_logger, client.Tenant, client.ClientId, verification.Result);
        }

        return verification;
    }

    /// <summary>
    /// Checks an <c>x-gensafety-pow</c> value (signature, binding to <paramref name="client"/>, expiry, work) without
    /// redeeming it: admission redeems it atomically with the rest of its decision, then reports the outcome through
    /// <see cref="RecordOutcome"/>.
    /// </summary>
    public ChallengeVerification Inspect(string? proofHeaderValue, ClientIdentity client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Check(proofHeaderValue, client);
    }

    /// <summary>Counts and logs the final outcome of a proof inspected with <see cref="Inspect"/>.</summary>
    public void RecordOutcome(ChallengeResult result, ClientIdentity client, int bits)
    {
        ArgumentNullException.ThrowIfNull(client);
        _metrics.Verified(result);
        if (result == ChallengeResult.Valid)
        {
            ProofOfWorkLog.Accepted(_logger, client.Tenant, client.ClientId, bits);
        }
        else
        {
            ProofOfWorkLog.Rejected(_logger, client.Tenant, client.ClientId, result);
        }
    }

    private ChallengeVerification Check(string? proofHeaderValue, ClientIdentity client)
    {
        string value = proofHeaderValue?.Trim() ?? string.Empty;
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return new ChallengeVerification(ChallengeResult.Malformed, null);
        }

        return ChallengeToken.Verify(_key, value[..colon], value[(colon + 1)..], client, _timeProvider.GetUtcNow());
    }
}

/// <summary>An issued challenge.</summary>
/// <param name="Token">The signed token.</param>
/// <param name="Bits">Leading zero bits asked for.</param>
/// <param name="ExpiresAt">When the token stops being redeemable.</param>
/// <param name="HeaderValue">Value of the <c>x-gensafety-challenge</c> response header: <c>&lt;token&gt;; bits=&lt;n&gt;</c>.</param>
public sealed record ProofOfWorkChallenge(string Token, int Bits, DateTimeOffset ExpiresAt, string HeaderValue);
