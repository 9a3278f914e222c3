namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// Settings of admission control: the named policies (<c>GenSafety:Policies:{name}</c>), the replica count
/// used to divide limits while Redis is unreachable (<c>GenSafety:Enforcement:ReplicaCount</c>), how long a
/// stream slot lives without release (<c>GenSafety:Enforcement:StreamSlotTtl</c>) and the Redis failure mode
/// (<c>GenSafety:Redis:FailureMode</c>, <c>open</c> or <c>closed</c>).
/// </summary>
public sealed class AdmissionOptions
{
    /// <summary>Section holding the policies, one sub-section per policy name.</summary>
    public const string PoliciesSection = "GenSafety:Policies";

    /// <summary>Key of the replica count.</summary>
    public const string ReplicaCountKey = "GenSafety:Enforcement:ReplicaCount";

    /// <summary>Key of the stream slot lifetime.</summary>
    public const string StreamSlotTtlKey = "GenSafety:Enforcement:StreamSlotTtl";

    /// <summary>Key of the Redis failure mode.</summary>
    public const string FailureModeKey = "GenSafety:Redis:FailureMode";

    /// <summary>Name of the policy every client without a known policy gets; it always exists.</summary>
    public const string DefaultPolicy = "default";

    /// <summary>Failure mode value: keep serving with per-replica local limits while Redis fails.</summary>
    public const string FailOpen = "open";

    /// <summary>Failure mode value: refuse admission (503) while Redis fails.</summary>
    public const string FailClosed = "closed";

    /// <summary>Policies by name (case-insensitive).</summary>
    public Dictionary<string, PolicyOptions> Policies { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Number of gateway replicas; fail-open limits are the policy limits divided by it. Default 1.</summary>
    public int ReplicaCount { get; set; } = 1;

    /// <summary>
    /// Longest a concurrent-stream slot is held without <see cref="IAdmissionStore.ReleaseStreamAsync"/>
    /// (a replica that crashed mid-stream cannot leak slots for longer). Default 10 minutes.
    /// </summary>
    public TimeSpan StreamSlotTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><see cref="FailOpen"/> or <see cref="FailClosed"/> (default).</summary>
    public string FailureMode { get; set; } = FailClosed;

    /// <summary>Whether <see cref="FailureMode"/> is <see cref="FailOpen"/>.</summary>
    public bool FailsOpen => string.Equals(FailureMode, FailOpen, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One named policy. Every limit is optional: absent or 0 means unlimited.</summary>
public sealed class PolicyOptions
{
    /// <summary>Requests admitted per minute (GCRA: a burst of this many, then this rate).</summary>
    public long? RequestsPerMinute { get; set; }

    /// <summary>Tokens (input plus reserved output) admitted per minute (GCRA weighted by tokens).</summary>
    public long? TokensPerMinute { get; set; }

    /// <summary>Streaming requests in flight at once per client.</summary>
    public long? MaxConcurrentStreams { get; set; }

    /// <summary>Tokens per UTC day per client.</summary>
    public long? DailyTokenQuota { get; set; }

    /// <summary>Output tokens reserved at admission when the request sets no <c>max_tokens</c>; absent or 0: none.</summary>
    public long? DefaultMaxTokens { get; set; }
}
