using HdrHistogram;

namespace GenSafety.LoadTests.Generation;

/// <summary>Latency histograms in microseconds, 1 µs to 5 min, 3 significant digits.</summary>
internal static class LatencyHistograms
{
    public const long HighestMicros = 300_000_000;

    public static LongHistogram Create() => new(HighestMicros, 3);

    public static long ToMicros(long startTimestamp, long endTimestamp) =>
        Math.Clamp((long)System.Diagnostics.Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMicroseconds, 1, HighestMicros);

    public static double PercentileMs(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? double.NaN : histogram.GetValueAtPercentile(percentile) / 1000.0;
}
