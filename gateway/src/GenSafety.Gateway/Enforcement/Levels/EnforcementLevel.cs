namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// The rung of the enforcement ladder a client stands on, derived from its risk score with hysteresis
/// (or pinned by an admin). What each level does is configured as <see cref="EnforcementActions"/>.
/// </summary>
public enum EnforcementLevel
{
    /// <summary>L0: allow.</summary>
    Allow = 0,

    /// <summary>L1: added latency growing with risk.</summary>
    Delay = 1,

    /// <summary>L2: degraded answers (capped/quantized logprobs, no logit_bias, clamped n and max_tokens, noisy embeddings).</summary>
    Degrade = 2,

    /// <summary>L3: each request needs a solved proof-of-work challenge.</summary>
    ProofOfWork = 3,

    /// <summary>L4: every request refused with <c>403 client_blocked</c> until the block expires or an admin lifts it.</summary>
    Block = 4,
}
