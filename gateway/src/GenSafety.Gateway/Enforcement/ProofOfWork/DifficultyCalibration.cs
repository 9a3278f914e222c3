namespace GenSafety.Gateway.Enforcement.ProofOfWork;

/// <summary>
/// Maps solve time to difficulty and back, after Dziedzic et al. (ICLR 2022): a least-squares line of
/// leading-zero bits on log10(seconds) fitted over measured points, so
/// <c>bits(t) = Intercept + Slope·log10(t)</c> and <c>seconds(b) = 10^((b − Intercept) / Slope)</c>.
/// Immutable and pure; every method is safe to call concurrently.
/// </summary>
public sealed class DifficultyCalibration
{
    /// <summary>Ratio of the benign geometric schedule: challenge k targets <c>budget·r^(k+1)</c>.</summary>
    public const double BenignRatio = 0.5;

    /// <summary>
    /// The paper's hashcash table (SHA-1, their machine): 16 bits ≈ 0.24 s, 20 ≈ 2.93 s, 24 ≈ 23.2 s, 32 ≈ 2,948 s.
    /// SHA-256 on another machine differs; recalibrate with <c>pow-solve --benchmark</c>.
    /// </summary>
    public static IReadOnlyList<CalibrationPoint> PaperPoints { get; } =
        [new(16, 0.24), new(20, 2.93), new(24, 23.2), new(32, 2948)];

    /// <summary>Fits the line over <paramref name="points"/> and keeps the clamps.</summary>
    /// <exception cref="ArgumentException">The points cannot be fitted (see <see cref="CheckPoints"/>) or the clamps are inconsistent.</exception>
    public DifficultyCalibration(IEnumerable<CalibrationPoint> points, int minBits, int maxBits, TimeSpan minTargetTime, TimeSpan maxTargetTime)
    {
        ArgumentNullException.ThrowIfNull(points);
        CalibrationPoint[] table = [.. points];
        if (CheckPoints(table) is { } problem)
        {
            throw new ArgumentException("Calibration " + problem, nameof(points));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(minBits, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBits, minBits);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minTargetTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxTargetTime, minTargetTime);

        (Intercept, Slope) = Fit(table);
        MinBits = minBits;
        MaxBits = maxBits;
        MinTargetTime = minTargetTime;
        MaxTargetTime = maxTargetTime;
    }

    /// <summary>The calibration of <paramref name="options"/> (the paper's points when none are configured).</summary>
    public static DifficultyCalibration FromOptions(ProofOfWorkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IEnumerable<CalibrationPoint> points = options.Calibration.Count > 0 ? options.Calibration : PaperPoints;
        return new DifficultyCalibration(points, options.MinBits, options.MaxBits, options.MinTargetTime, options.MaxTargetTime);
    }

    /// <summary>Bits at one second (the line's value at log10(t) = 0).</summary>
    public double Intercept { get; }

    /// <summary>Bits per tenfold increase of time (≈ log2(10) ≈ 3.32 for an ideal hash at a fixed rate).</summary>
    public double Slope { get; }

    /// <summary>Fewest bits <see cref="ForRisk"/> returns.</summary>
    public int MinBits { get; }

    /// <summary>Most bits any method returns.</summary>
    public int MaxBits { get; }

    /// <summary>Target time at risk 0.</summary>
    public TimeSpan MinTargetTime { get; }

    /// <summary>Target time at risk 1.</summary>
    public TimeSpan MaxTargetTime { get; }

    /// <summary>Unrounded, unclamped bits for a solve time of <paramref name="seconds"/> (&gt; 0).</summary>
    public double BitsForSeconds(double seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(seconds, 0);
        return Intercept + (Slope * Math.Log10(seconds));
    }

    /// <summary>Expected solve time for <paramref name="bits"/>: the inverse of <see cref="BitsForSeconds"/>.</summary>
    public double SecondsForBits(double bits) => Math.Pow(10, (bits - Intercept) / Slope);

    /// <summary>
    /// Target time for a risk score, the paper's <c>timing = base^diff</c> with the difference replaced by the risk:
    /// <c>MinTargetTime · (MaxTargetTime / MinTargetTime)^risk</c>, so risk 0 gives the lower clamp (0.1 s),
    /// risk 1 the upper (2,948 s) and each step of risk multiplies the time by the same factor.
    /// Risk outside [0, 1] is clamped; NaN counts as 1 (fail closed).
    /// </summary>
    public TimeSpan TargetTimeForRisk(double risk)
    {
        double r = double.IsNaN(risk) ? 1 : Math.Clamp(risk, 0, 1);
        double min = MinTargetTime.TotalSeconds;
        double seconds = min * Math.Pow(MaxTargetTime.TotalSeconds / min, r);
        return TimeSpan.FromSeconds(Math.Clamp(seconds, min, MaxTargetTime.TotalSeconds));
    }

    /// <summary>Bits for a risk score: <see cref="TargetTimeForRisk"/> through the line, rounded, clamped to [MinBits, MaxBits].</summary>
    public int ForRisk(double risk) => ClampBits((int)Math.Round(BitsForSeconds(TargetTimeForRisk(risk).TotalSeconds)));

    /// <summary>
    /// Bits of the <paramref name="challengeIndex"/>-th challenge (0-based) of a benign (low-risk) client whose
    /// un-challenged time budget is <paramref name="budget"/>. Challenge k targets <c>budget · 0.5^(k+1)</c> and
    /// is rounded <em>down</em>, so its expected time never exceeds the target. Summed over any number of
    /// challenges: <c>budget · (1/2 + 1/4 + …) &lt; budget</c>, hence the client's total time (budget plus work)
    /// stays below 2 × budget. Returns 0, meaning "do not challenge", once the target falls below
    /// <see cref="MinBits"/>' expected time (asking MinBits then would break the bound); capped at <see cref="MaxBits"/>.
    /// </summary>
    public int BenignBits(TimeSpan budget, int challengeIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(challengeIndex);
        double target = budget.TotalSeconds * Math.Pow(BenignRatio, challengeIndex + 1);
        if (!(target > 0))
        {
            return 0;
        }

        double bits = Math.Floor(BitsForSeconds(target));
        return bits < MinBits ? 0 : (int)Math.Min(bits, MaxBits);
    }

    /// <summary>Expected seconds of work of the first <paramref name="challenges"/> benign challenges (see <see cref="BenignBits"/>).</summary>
    public double BenignTotalSeconds(TimeSpan budget, int challenges)
    {
        double total = 0;
        for (int k = 0; k < challenges; k++)
        {
            int bits = BenignBits(budget, k);
            total += bits == 0 ? 0 : SecondsForBits(bits);
        }

        return total;
    }

    /// <summary>Why <paramref name="points"/> cannot be fitted, or null when they can.</summary>
    public static string? CheckPoints(IReadOnlyCollection<CalibrationPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 2)
        {
            return "needs at least two points.";
        }

        foreach (CalibrationPoint point in points)
        {
            if (point is null || point.Bits < 1 || point.Bits > 64 || !(point.Seconds > 0) || double.IsInfinity(point.Seconds))
            {
                return "points need Bits between 1 and 64 and Seconds greater than zero.";
            }
        }

        if (points.Select(p => p.Seconds).Distinct().Count() < 2)
        {
            return "needs at least two different Seconds.";
        }

        return Fit(points).Slope > 0 ? null : "must show more bits taking more time.";
    }

    private int ClampBits(int bits) => Math.Clamp(bits, MinBits, MaxBits);

    private static (double Intercept, double Slope) Fit(IReadOnlyCollection<CalibrationPoint> points)
    {
        double meanX = points.Average(p => Math.Log10(p.Seconds));
        double meanY = points.Average(p => (double)p.Bits);
        double sxy = 0;
        double sxx = 0;
        foreach (CalibrationPoint p in points)
        {
            double dx = Math.Log10(p.Seconds) - meanX;
            sxy += dx * (p.Bits - meanY);
            sxx += dx * dx;
        }

        double slope = sxy / sxx;
        return (meanY - (slope * meanX), slope);
    }
}
