namespace GenSafety.Detectors.Extraction;

/// <summary>
/// Thresholds from benign traffic, as the papers calibrate them: SEAT's percentile of benign k-NN mean distances,
/// and the window-MMD threshold at a target false-positive rate over benign-vs-benign windows. Both compute the
/// detector's own statistic (the same codec, kernel and estimator).
/// </summary>
public static class DetectorCalibration
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    /// <summary>
    /// The <paramref name="percentile"/> quantile (SEAT: 0.001) of the k-NN mean distances that
    /// <paramref name="detector"/> measures over <paramref name="benignStreams"/> (each one client's query vectors,
    /// in order, through a fresh state). Needs at least 1/<paramref name="percentile"/> measured queries.
    /// </summary>
    public static double NearDuplicateThreshold(NearDuplicateDetector detector, IEnumerable<IReadOnlyList<float[]>> benignStreams, double percentile = 0.001)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(benignStreams);
        CheckFraction(percentile, nameof(percentile));
        var distances = new List<double>();
        foreach (var stream in benignStreams)
        {
            var state = detector.CreateState();
            foreach (var vector in stream)
            {
                // A query is measured once the history holds k earlier queries.
                var measured = state.HistorySize >= detector.Neighbours;
                detector.Observe(state, vector, Epoch);
                if (measured)
                {
                    distances.Add(state.LatestMeanDistance);
                }
            }
        }

        return Quantile(distances, percentile, nameof(benignStreams));
    }

    /// <summary>
    /// The MMD² exceeded by a fraction <paramref name="targetFalsePositiveRate"/> of benign windows: draws
    /// <paramref name="windows"/> windows of m consecutive queries of one benign client (a stream chosen uniformly
    /// among those of at least m queries, a uniform start; bootstrap with replacement, seeded by
    /// <paramref name="seed"/>), computes each window's MMD² against <paramref name="detector"/>'s reference, and
    /// returns the upper quantile. Calibrate with clients' own streams, not pooled traffic: a benign client stays
    /// inside its topics, which moves its window away from the tenant-wide reference. Needs
    /// <paramref name="windows"/> ≥ 1/<paramref name="targetFalsePositiveRate"/>; ten times that is better.
    /// </summary>
    public static double MmdThreshold(
        WindowMmdDetector detector, IReadOnlyList<IReadOnlyList<float[]>> benignStreams, double targetFalsePositiveRate = 0.01, int windows = 2000, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(benignStreams);
        CheckFraction(targetFalsePositiveRate, nameof(targetFalsePositiveRate));
        var m = detector.WindowSize;
        var eligible = benignStreams.Where(s => s.Count >= m).ToArray();
        if (eligible.Length == 0)
        {
            throw new ArgumentException($"No benign stream holds a full window of {m} queries.", nameof(benignStreams));
        }

        // Each stream is quantised (with its reference kernel sums) once, when a window first falls in it.
        var encoded = new (QuantizedVectorSet Vectors, double[] CrossSums)?[eligible.Length];
        var random = new Randomness.DeterministicRandom(seed);
        var statistics = new List<double>(windows);
        for (var w = 0; w < windows; w++)
        {
            var index = random.NextInt(eligible.Length);
            var start = random.NextInt(eligible[index].Count - m + 1);
            var (vectors, crossSums) = encoded[index] ??= detector.EncodeStream(eligible[index]);
            statistics.Add(detector.WindowStatistic(vectors, crossSums, start));
        }

        return Quantile(statistics, 1.0 - targetFalsePositiveRate, nameof(windows));
    }

    /// <summary>The smallest value with at least a fraction <paramref name="fraction"/> of the values at or below it.</summary>
    internal static double Quantile(List<double> values, double fraction, string parameter)
    {
        var needed = (int)Math.Ceiling(1.0 / Math.Min(fraction, 1.0 - fraction) - 1e-9);
        if (values.Count < needed)
        {
            throw new ArgumentException($"Calibration needs at least {needed} measurements for this quantile; got {values.Count}.", parameter);
        }

        values.Sort();
        var index = Math.Clamp((int)Math.Ceiling((fraction * values.Count) - 1e-9) - 1, 0, values.Count - 1);
        return values[index];
    }

    private static void CheckFraction(double value, string parameter)
    {
        if (!(value is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(parameter, "The fraction must lie strictly between 0 and 1.");
        }
    }
}
