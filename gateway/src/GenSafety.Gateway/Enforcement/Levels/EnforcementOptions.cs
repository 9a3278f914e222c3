namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// Settings of the enforcement ladder (section <c>GenSafety:Enforcement:Risk</c> for the risk model,
/// <c>GenSafety:Enforcement:Actions</c>, <c>GenSafety:Enforcement:Routes:{route}:Actions</c> and
/// <c>GenSafety:Policies:{name}:Actions</c> for what each level does).
/// </summary>
public sealed class EnforcementOptions
{
    /// <summary>Section of the risk model.</summary>
    public const string RiskSection = "GenSafety:Enforcement:Risk";

    /// <summary>Section of the default actions per level (keys <c>L1</c> … <c>L4</c>).</summary>
    public const string ActionsSection = "GenSafety:Enforcement:Actions";

    /// <summary>Section of per-route action overrides (<c>{route}:Actions:L2</c>, route kinds as in <c>GenSafety.RouteKind</c>).</summary>
    public const string RoutesSection = "GenSafety:Enforcement:Routes";

    /// <summary>Half-life of the risk score's exponential decay. Default 1 hour.</summary>
    public TimeSpan HalfLife { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Risk at which L1 (delay) starts. Default 0.3.</summary>
    public double DelayThreshold { get; set; } = 0.3;

    /// <summary>Risk at which L2 (degrade) starts. Default 0.5.</summary>
    public double DegradeThreshold { get; set; } = 0.5;

    /// <summary>Risk at which L3 (proof-of-work) starts. Default 0.7.</summary>
    public double ProofOfWorkThreshold { get; set; } = 0.7;

    /// <summary>Risk at which L4 (block) starts. Default 0.9.</summary>
    public double BlockThreshold { get; set; } = 0.9;

    /// <summary>
    /// Hysteresis: a client leaves a level only when its risk falls this far below the level's threshold, so a score
    /// hovering at a threshold does not flap. Default 0.05.
    /// </summary>
    public double Hysteresis { get; set; } = 0.05;

    /// <summary>How long a client that reaches L4 stays blocked (unless an admin unblocks it). Default 1 hour.</summary>
    public TimeSpan BlockDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Delay at the L1 threshold. Default 100 ms.</summary>
    public TimeSpan MinDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Delay cap, reached at risk 1. Default 2 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an idle client's risk state is kept. Default 7 days.</summary>
    public TimeSpan StateTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Entries kept in each tenant's audit stream (approximate trim). Default 10 000.</summary>
    public int AuditMaxLength { get; set; } = 10_000;

    /// <summary>Default actions per level, by level name (<c>L1</c> … <c>L4</c>); unset levels keep <see cref="LevelActions.Defaults"/>.</summary>
    public Dictionary<string, string> Actions { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per-route overrides: route kind → level name → actions.</summary>
    public Dictionary<string, Dictionary<string, string>> Routes { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per-policy overrides: policy name → level name → actions (from <c>GenSafety:Policies:{name}:Actions</c>).</summary>
    public Dictionary<string, Dictionary<string, string>> Policies { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The four thresholds, L1 first.</summary>
    public double[] Thresholds => [DelayThreshold, DegradeThreshold, ProofOfWorkThreshold, BlockThreshold];
}
