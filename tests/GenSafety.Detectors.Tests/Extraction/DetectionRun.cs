using GenSafety.Detectors.Extraction;

namespace GenSafety.Detectors.Tests.Extraction;

/// <summary>Runs client streams through a detector and summarises when (and whether) each alarmed.</summary>
internal static class DetectionRun
{
    /// <summary>The score at which a client counts as detected (the statistical detectors' published alarm).</summary>
    public const double AlarmScore = 0.5;

    public static readonly DateTimeOffset At = SyntheticTraffic.Start;

    /// <summary>One client's outcome: its highest score, the 1-based query of its first alarm (-1: none) and its last signal.</summary>
    public readonly record struct Outcome(double MaxScore, int FirstAlarm, DetectorSignal Last);

    public static Outcome Run<TState>(IVectorStreamDetector<TState> detector, IEnumerable<float[]> vectors)
        where TState : DetectorState
    {
        var state = detector.CreateState();
        return Track(vectors.Select(v => detector.Observe(state, v, At)));
    }

    public static Outcome Run(HarvestingDetector detector, IEnumerable<SyntheticTraffic.Request> requests)
    {
        var state = detector.CreateState();
        return Track(requests.Select(r => detector.Observe(state, detector.ExtractFeatures(r.Prompt, r.MaxTokens, r.Temperature), r.At)));
    }

    /// <summary>Runs <paramref name="count"/> clients, client i's stream made from seed <paramref name="firstSeed"/> + i.</summary>
    public static List<Outcome> Clients<TState>(IVectorStreamDetector<TState> detector, int count, int firstSeed, Func<ulong, IEnumerable<float[]>> stream)
        where TState : DetectorState =>
        [.. Enumerable.Range(firstSeed, count).Select(seed => Run(detector, stream((ulong)seed)))];

    /// <summary>Runs <paramref name="count"/> clients, client i's requests made from seed <paramref name="firstSeed"/> + i.</summary>
    public static List<Outcome> Clients(HarvestingDetector detector, int count, int firstSeed, Func<ulong, IEnumerable<SyntheticTraffic.Request>> requests) =>
        [.. Enumerable.Range(firstSeed, count).Select(seed => Run(detector, requests((ulong)seed)))];

    public static Summary Summarise(IReadOnlyList<Outcome> outcomes)
    {
        var alarms = outcomes.Where(o => o.FirstAlarm > 0).Select(o => (double)o.FirstAlarm).Order().ToArray();
        var maxima = outcomes.Select(o => o.MaxScore).Order().ToArray();
        return new Summary(outcomes.Count, alarms.Length, Percentile(alarms, 0.5), Percentile(alarms, 0.9), Percentile(maxima, 0.5), maxima[^1]);
    }

    private static Outcome Track(IEnumerable<DetectorSignal> signals)
    {
        var max = 0.0;
        var first = -1;
        var index = 0;
        var last = default(DetectorSignal);
        foreach (var signal in signals)
        {
            index++;
            max = Math.Max(max, signal.Score);
            if (first < 0 && signal.Score >= AlarmScore)
            {
                first = index;
            }

            last = signal;
        }

        return new Outcome(max, first, last);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>Clients, clients that alarmed, queries to the first alarm (median, p90), and the clients' highest scores (median, max).</summary>
    public sealed record Summary(int Clients, int Alarmed, double MedianQueries, double P90Queries, double MedianMaxScore, double MaxMaxScore)
    {
        public override string ToString() =>
            $"alarmed {Alarmed}/{Clients}, queries to alarm median {MedianQueries} p90 {P90Queries}, max score median {MedianMaxScore:F3} max {MaxMaxScore:F3}";
    }
}
