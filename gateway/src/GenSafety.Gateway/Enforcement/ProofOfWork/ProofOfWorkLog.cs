namespace GenSafety.Gateway.Enforcement.ProofOfWork;

/// <summary>Log messages of proof-of-work (event ids 4100-4119). Never logs tokens, nonces or the secret.</summary>
internal static partial class ProofOfWorkLog
{
    [LoggerMessage(EventId = 4100, EventName = "ProofOfWorkIssued", Level = LogLevel.Debug,
        Message = "Proof-of-work challenge of {Bits} bits issued to client '{ClientId}' of tenant '{Tenant}'.")]
    public static partial void Issued(ILogger logger, string tenant, string clientId, int bits);

    [LoggerMessage(EventId = 4101, EventName = "ProofOfWorkAccepted", Level = LogLevel.Debug,
        Message = "Proof of work of {Bits} bits accepted from client '{ClientId}' of tenant '{Tenant}'.")]
    public static partial void Accepted(ILogger logger, string tenant, string clientId, int bits);

    [LoggerMessage(EventId = 4102, EventName = "ProofOfWorkRejected", Level = LogLevel.Debug,
        Message = "Proof of work from client '{ClientId}' of tenant '{Tenant}' rejected: {Result}.")]
    public static partial void Rejected(ILogger logger, string tenant, string clientId, ChallengeResult result);

    [LoggerMessage(EventId = 4103, EventName = "ProofOfWorkEphemeralSecret", Level = LogLevel.Warning,
        Message = "No GenSafety:Enforcement:ProofOfWork:Secret configured: challenges are signed with a random key and only this replica can redeem them. Set a shared secret when running several replicas.")]
    public static partial void EphemeralSecret(ILogger logger);
}
