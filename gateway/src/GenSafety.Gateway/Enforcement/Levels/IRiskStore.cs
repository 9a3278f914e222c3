namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// Per-client risk, level and audit trail, shared by every replica (Redis) or kept in process (memory).
/// Written by the detectors and by admins; read by admission (through the admission script) and the admin API.
/// Every change of level is appended to the tenant's audit stream.
/// </summary>
public interface IRiskStore
{
    /// <summary>The client's risk state now (decayed), with its reasons.</summary>
    ValueTask<RiskSnapshot> GetAsync(string tenant, string clientId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a risk signal from <see cref="RiskUpdate.Source"/> and sets the client's risk: to the update's score, or,
    /// with <see cref="RiskUpdate.RaiseOnly"/>, to the larger of it and the decayed current risk. Re-evaluates the level.
    /// </summary>
    ValueTask<RiskSnapshot> SetRiskAsync(string tenant, string clientId, RiskUpdate update, CancellationToken cancellationToken);

    /// <summary>Pins the client's level (an admin's decision) until <paramref name="duration"/> passes (null: until cleared), or clears the pin (null level).</summary>
    ValueTask<RiskSnapshot> PinLevelAsync(string tenant, string clientId, EnforcementLevel? level, TimeSpan? duration, string actor, string reason, CancellationToken cancellationToken);

    /// <summary>Lifts a block: clears the pin and the block, sets risk to 0 and the level to L0.</summary>
    ValueTask<RiskSnapshot> UnblockAsync(string tenant, string clientId, string actor, string reason, CancellationToken cancellationToken);

    /// <summary>Stores the client's B4B embedding-space coverage in [0, 1] (read at admission to set the noise σ).</summary>
    ValueTask SetCoverageAsync(string tenant, string clientId, double coverage, CancellationToken cancellationToken);

    /// <summary>Reads the newest <paramref name="count"/> audit entries of a tenant, newest first, optionally only one client's.</summary>
    ValueTask<IReadOnlyList<AuditEntry>> ReadAuditAsync(string tenant, string? clientId, int count, CancellationToken cancellationToken);

    /// <summary>Removes the client's risk state (when the client is deleted); the audit trail stays.</summary>
    ValueTask DeleteAsync(string tenant, string clientId, CancellationToken cancellationToken);
}

/// <summary>A risk signal.</summary>
/// <param name="Score">Risk in [0, 1].</param>
/// <param name="Source">Who says so: a detector name, or <c>admin</c>.</param>
/// <param name="Reason">Why, in a few words (no prompt text).</param>
/// <param name="Actor">Written to the audit trail: <c>admin</c>, <c>detector</c> …</param>
/// <param name="RaiseOnly">Keep the current risk when it is higher.</param>
public sealed record RiskUpdate(double Score, string Source, string Reason, string Actor, bool RaiseOnly = false);

/// <summary>One signal behind a client's risk.</summary>
/// <param name="Source">Detector name or <c>admin</c>.</param>
/// <param name="Score">The score it gave.</param>
/// <param name="Reason">Its reason.</param>
/// <param name="At">When.</param>
public sealed record RiskReason(string Source, double Score, string Reason, DateTimeOffset At);

/// <summary>A client's risk state.</summary>
/// <param name="Risk">Decayed risk now.</param>
/// <param name="Level">Level now.</param>
/// <param name="PinnedLevel">The admin-pinned level, if any.</param>
/// <param name="PinnedUntil">When the pin ends (null: until cleared).</param>
/// <param name="BlockedUntil">When the block ends, if blocked.</param>
/// <param name="Coverage">B4B coverage, if the detectors wrote one.</param>
/// <param name="Reasons">The signals behind the risk, highest score first.</param>
public sealed record RiskSnapshot(
    double Risk, EnforcementLevel Level, EnforcementLevel? PinnedLevel, DateTimeOffset? PinnedUntil, DateTimeOffset? BlockedUntil,
    double? Coverage, IReadOnlyList<RiskReason> Reasons);

/// <summary>One level change in the audit trail.</summary>
/// <param name="Id">Entry id (Redis stream id, or a sequence in memory).</param>
/// <param name="ClientId">Client.</param>
/// <param name="From">Level before.</param>
/// <param name="To">Level after.</param>
/// <param name="Risk">Risk at the change.</param>
/// <param name="Actor">Who: <c>admin</c>, a detector, <c>decay</c>.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record AuditEntry(string Id, string ClientId, EnforcementLevel From, EnforcementLevel To, double Risk, string Actor, string Reason, DateTimeOffset At);
