namespace GenSafety.Gateway.Enforcement.Admission;

/// <summary>
/// The resolved limits of one policy; 0 means unlimited. A snapshot travels with each
/// <see cref="AdmissionReservation"/> so that reconciliation uses the limits the request was admitted under.
/// </summary>
/// <param name="Name">Policy name.</param>
/// <param name="RequestsPerMinute">Requests per minute.</param>
/// <param name="TokensPerMinute">Tokens (input plus reserved output) per minute.</param>
/// <param name="MaxConcurrentStreams">Concurrent streams per client.</param>
/// <param name="DailyTokenQuota">Tokens per UTC day.</param>
/// <param name="DefaultMaxTokens">Output tokens reserved when the request sets no <c>max_tokens</c>.</param>
public sealed record PolicyLimits(
    string Name, long RequestsPerMinute, long TokensPerMinute, long MaxConcurrentStreams, long DailyTokenQuota, long DefaultMaxTokens)
{
    /// <summary>A policy without any limit.</summary>
    public static PolicyLimits Unlimited { get; } = new(AdmissionOptions.DefaultPolicy, 0, 0, 0, 0, 0);

    /// <summary>Whether any limit is set.</summary>
    public bool HasLimits => RequestsPerMinute > 0 || TokensPerMinute > 0 || MaxConcurrentStreams > 0 || DailyTokenQuota > 0;

    /// <summary>Builds the limits of <paramref name="options"/> (absent or negative values are unlimited).</summary>
    public static PolicyLimits From(string name, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        return new PolicyLimits(
            name, Positive(options.RequestsPerMinute), Positive(options.TokensPerMinute), Positive(options.MaxConcurrentStreams),
            Positive(options.DailyTokenQuota), Positive(options.DefaultMaxTokens));
    }

    /// <summary>Output tokens to reserve for a request whose <c>max_tokens</c> is <paramref name="maxTokens"/>.</summary>
    public long ReserveOutputTokens(long? maxTokens) => maxTokens is > 0 ? maxTokens.Value : DefaultMaxTokens;

    /// <summary>
    /// This replica's share while Redis is unreachable: every limit divided by <paramref name="replicaCount"/>,
    /// rounded down but at least 1 so that a limited policy stays limited (unlimited stays unlimited).
    /// </summary>
    public PolicyLimits PerReplica(int replicaCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicaCount, 1);
        return replicaCount == 1
            ? this
            : this with
            {
                RequestsPerMinute = Share(RequestsPerMinute, replicaCount),
                TokensPerMinute = Share(TokensPerMinute, replicaCount),
                MaxConcurrentStreams = Share(MaxConcurrentStreams, replicaCount),
                DailyTokenQuota = Share(DailyTokenQuota, replicaCount),
            };
    }

    private static long Positive(long? value) => value is > 0 ? value.Value : 0;

    private static long Share(long limit, int replicas) => limit == 0 ? 0 : Math.Max(1, limit / replicas);
}
