using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Enforcement.Levels;

/// <summary>
/// The arithmetic of the ladder, shared by the in-memory store and mirrored line by line in the Redis script
/// (<see cref="EnforcementRedisScripts"/>): risk decays exponentially with <see cref="EnforcementOptions.HalfLife"/>;
/// a client climbs to the highest level whose threshold its risk reaches, and only comes down to a level whose
/// threshold minus the hysteresis its risk still reaches.
/// </summary>
public sealed class RiskLadder
{
    private readonly EnforcementOptions _options;
    private readonly double[] _thresholds;

    /// <summary>Creates the ladder from validated options.</summary>
    public RiskLadder(IOptions<EnforcementOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _thresholds = _options.Thresholds;
    }

    /// <summary>The options the ladder was built from.</summary>
    public EnforcementOptions Options => _options;

    /// <summary>Half-life in milliseconds (0: no decay).</summary>
    public long HalfLifeMs => (long)_options.HalfLife.TotalMilliseconds;

    /// <summary>Risk <paramref name="score"/> written at <paramref name="atMs"/>, decayed to <paramref name="nowMs"/>.</summary>
    public double Decay(double score, long atMs, long nowMs)
    {
        long half = HalfLifeMs;
        return half <= 0 || nowMs <= atMs ? score : score * Math.Pow(0.5, (nowMs - atMs) / (double)half);
    }

    /// <summary>The level for <paramref name="risk"/> when the client stands on <paramref name="current"/>.</summary>
    public EnforcementLevel LevelFor(double risk, EnforcementLevel current)
    {
        var up = 0;
        for (var k = 1; k <= 4; k++)
        {
            if (risk >= _thresholds[k - 1])
            {
                up = k;
            }
        }

        if (up >= (int)current)
        {
            return (EnforcementLevel)up;
        }

        var down = 0;
        for (var k = 1; k <= (int)current; k++)
        {
            if (risk >= _thresholds[k - 1] - _options.Hysteresis)
            {
                down = k;
            }
        }

        return (EnforcementLevel)down;
    }

    /// <summary>
    /// The L1 delay for <paramref name="risk"/>: <see cref="EnforcementOptions.MinDelay"/> at the L1 threshold growing
    /// linearly to <see cref="EnforcementOptions.MaxDelay"/> at risk 1 (and never above it).
    /// </summary>
    public TimeSpan DelayFor(double risk)
    {
        double start = _options.DelayThreshold;
        double share = start >= 1 ? 1 : Math.Clamp((risk - start) / (1 - start), 0, 1);
        return _options.MinDelay + ((_options.MaxDelay - _options.MinDelay) * share);
    }
}
