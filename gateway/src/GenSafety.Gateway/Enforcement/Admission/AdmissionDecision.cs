using System.Globalization;

namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>The limit that rejected a request.</summary>
public enum AdmissionLimit
{
    /// <summary>None: the request was admitted.</summary>
    None = 0,

    /// <summary>Requests per minute.</summary>
    Requests = 1,

    /// <summary>Tokens per minute.</summary>
    Tokens = 2,

    /// <summary>Concurrent streams.</summary>
    ConcurrentStreams = 3,

    /// <summary>Daily token quota.</summary>
    DailyTokens = 4,

    /// <summary>The client's level blocks it.</summary>
    Blocked = 5,

    /// <summary>The client's level needs proof-of-work and the request carried none.</summary>
    ChallengeRequired = 6,

    /// <summary>The client's level needs proof-of-work and the proof was invalid, expired, foreign or already used.</summary>
    ChallengeRejected = 7,

    /// <summary>The client's policy changed since its identity was cached: resolve it again (see <see cref="AdmissionDecision.StoredPolicy"/>).</summary>
    PolicyChanged = 8,

    /// <summary>The client no longer exists (deleted on any replica).</summary>
    UnknownClient = 9,
}

/// <summary>State of one per-minute limit after the decision, for the <c>x-ratelimit-*</c> headers.</summary>
/// <param name="Limit">The limit; 0 means unlimited (no headers).</param>
/// <param name="Remaining">How many more could be admitted now.</param>
/// <param name="Reset">Time until the limit is fully replenished.</param>
public readonly record struct RateLimitStatus(long Limit, long Remaining, TimeSpan Reset);

/// <summary>The answer to an <see cref="AdmissionRequest"/>.</summary>
public sealed record AdmissionDecision
{
    /// <summary>Whether the request may proceed.</summary>
    public required bool Admitted { get; init; }

    /// <summary>The reservation to reconcile and release; set when admitted.</summary>
    public AdmissionReservation? Reservation { get; init; }

    /// <summary>The limit that rejected the request (<see cref="AdmissionLimit.None"/> when admitted).</summary>
    public AdmissionLimit Limit { get; init; }

    /// <summary>When rejected, how long to wait before a retry can succeed (for <c>retry-after</c>).</summary>
    public TimeSpan RetryAfter { get; init; }

    /// <summary>The requests-per-minute limit after the decision.</summary>
    public RateLimitStatus Requests { get; init; }

    /// <summary>The tokens-per-minute limit after the decision.</summary>
    public RateLimitStatus Tokens { get; init; }

    /// <summary>Tokens left in today's quota; null when there is no quota.</summary>
    public long? DailyTokensRemaining { get; init; }

    /// <summary>The client's enforcement level at the decision.</summary>
    public Levels.EnforcementLevel Level { get; init; }

    /// <summary>The client's decayed risk at the decision.</summary>
    public double Risk { get; init; }

    /// <summary>The client's B4B coverage as the detectors last wrote it, if ever.</summary>
    public double? Coverage { get; init; }

    /// <summary>The policy stored for the client, when it differs from the request's (<see cref="AdmissionLimit.PolicyChanged"/>).</summary>
    public string? StoredPolicy { get; init; }

    /// <summary>Whether the decision is about a limit (requests, tokens, streams or quota), not the client's level or identity.</summary>
    public bool IsRateLimit => Limit is >= AdmissionLimit.Requests and <= AdmissionLimit.DailyTokens;

    /// <summary>Whether the decision was taken on local per-replica limits because Redis was unreachable.</summary>
    public bool Degraded { get; init; }

    /// <summary>
    /// The OpenAI-style headers: <c>x-ratelimit-{limit,remaining,reset}-{requests,tokens}</c> for the limits
    /// that are set, and <c>retry-after</c> (whole seconds, rounded up) when rejected.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> Headers()
    {
        foreach ((string suffix, RateLimitStatus status) in new[] { ("requests", Requests), ("tokens", Tokens) })
        {
            if (status.Limit > 0)
            {
                yield return new("x-ratelimit-limit-" + suffix, status.Limit.ToString(CultureInfo.InvariantCulture));
                yield return new("x-ratelimit-remaining-" + suffix, status.Remaining.ToString(CultureInfo.InvariantCulture));
                yield return new("x-ratelimit-reset-" + suffix, FormatReset(status.Reset));
            }
        }

        if (!Admitted && (IsRateLimit || (Limit == AdmissionLimit.Blocked && RetryAfter > TimeSpan.Zero)))
        {
            yield return new("retry-after", ((long)Math.Ceiling(Math.Max(RetryAfter.TotalSeconds, 1))).ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Formats a reset time as OpenAI does: <c>20ms</c>, <c>1.5s</c>, <c>6m0s</c>.</summary>
    public static string FormatReset(TimeSpan reset)
    {
        if (reset <= TimeSpan.Zero)
        {
            return "0s";
        }

        if (reset < TimeSpan.FromSeconds(1))
        {
            return ((long)Math.Ceiling(reset.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        double seconds = Math.Round(reset.TotalSeconds % 60, 3);
        long minutes = (long)reset.TotalMinutes;
        string s = seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        return minutes > 0 ? minutes.ToString(CultureInfo.InvariantCulture) + "m" + s : s;
    }
}
