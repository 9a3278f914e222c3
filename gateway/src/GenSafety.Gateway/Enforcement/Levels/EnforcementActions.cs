namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// What the gateway does to a request at a given level. Each level has a set of actions, configured globally,
/// per policy and per route (<c>delay,degrade,pow,block</c>).
/// </summary>
[Flags]
public enum EnforcementActions
{
    /// <summary>Nothing: the request passes untouched.</summary>
    None = 0,

    /// <summary>Wait before forwarding, longer as risk grows (capped).</summary>
    Delay = 1,

    /// <summary>Shape the request and degrade the response (see <c>Enforcement/Degrade</c>).</summary>
    Degrade = 2,

    /// <summary>Require a solved proof-of-work challenge.</summary>
    ProofOfWork = 4,

    /// <summary>Refuse with <c>403 client_blocked</c>.</summary>
    Block = 8,
}
