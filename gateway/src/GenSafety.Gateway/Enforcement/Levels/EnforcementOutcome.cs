namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// The enforcement decision for one admitted request, set as an <see cref="HttpContext"/> feature by the
/// admission step so later steps (request shaping, response transforms) know what to apply.
/// </summary>
/// <param name="Level">The client's level when the request was admitted.</param>
/// <param name="Risk">The client's decayed risk score in [0, 1].</param>
/// <param name="Coverage">
/// The client's embedding-space coverage in [0, 1] as last written by the detectors (B4B), or the configured
/// default when none is known; sets the σ of embedding noise.
/// </param>
/// <param name="Actions">The actions that apply to this request (level, policy and route combined).</param>
public sealed record EnforcementOutcome(EnforcementLevel Level, double Risk, double Coverage, EnforcementActions Actions)
{
    /// <summary>Whether the response must be degraded.</summary>
    public bool Degrades => (Actions & EnforcementActions.Degrade) != 0;
}
