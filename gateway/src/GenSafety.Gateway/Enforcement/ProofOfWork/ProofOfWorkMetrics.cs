using System.Diagnostics.Metrics;

namespace GenSafety.Gateway.Enforcement.ProofOfWork;

/// <summary>
/// Instruments of proof-of-work: <c>gensafety.pow.issued</c> (challenges; tag <c>bits</c>) and
/// <c>gensafety.pow.verifications</c> (proofs checked; tag <c>result</c>: <c>valid</c>, <c>malformed</c>,
/// <c>bad_signature</c>, <c>wrong_client</c>, <c>expired</c>, <c>insufficient_work</c>, <c>replayed</c>).
/// Tags are bounded: never a tenant or client id.
/// </summary>
internal sealed class ProofOfWorkMetrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "GenSafety.Gateway.ProofOfWork";

    private readonly Counter<long> _issued;
    private readonly Counter<long> _verifications;

    public ProofOfWorkMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        _issued = meter.CreateCounter<long>("gensafety.pow.issued", unit: "{challenge}", description: "Proof-of-work challenges issued.");
        _verifications = meter.CreateCounter<long>("gensafety.pow.verifications", unit: "{proof}", description: "Proofs of work checked, by result.");
    }

    /// <summary>Tag value of a result.</summary>
    public static string ResultTag(ChallengeResult result) => result switch
    {
        ChallengeResult.Valid => "valid",
        ChallengeResult.Malformed => "malformed",
        ChallengeResult.BadSignature => "bad_signature",
        ChallengeResult.WrongClient => "wrong_client",
        ChallengeResult.Expired => "expired",
        ChallengeResult.InsufficientWork => "insufficient_work",
        ChallengeResult.Replayed => "replayed",
        _ => "unknown",
    };

    public void Issued(int bits)
    {
        if (_issued.Enabled)
        {
            _issued.Add(1, new KeyValuePair<string, object?>("bits", bits));
        }
    }

    public void Verified(ChallengeResult result)
    {
        if (_verifications.Enabled)
        {
            _verifications.Add(1, new KeyValuePair<string, object?>("result", ResultTag(result)));
        }
    }
}
