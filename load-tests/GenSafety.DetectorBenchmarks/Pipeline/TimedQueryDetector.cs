using System.Diagnostics;
using GenSafety.Gateway.Detection;

namespace GenSafety.DetectorBenchmarks.Pipeline;

/// <summary>A detector that forwards to the real one and adds the time each call took to its total.</summary>
internal class TimedQueryDetector(IQueryDetector inner) : IQueryDetector
{
    protected IQueryDetector Inner { get; } = inner;

    /// <summary>Time spent in the detector so far.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Ticks);

    protected long Ticks { get; set; }

    public string Name => Inner.Name;

    public DetectorDescriptor Descriptor => Inner.Descriptor;

    public bool NeedsPromptVector(QueryEvent queryEvent) => Inner.NeedsPromptVector(queryEvent);

    public bool NeedsQueryVector(QueryEvent queryEvent) => Inner.NeedsQueryVector(queryEvent);

    public DetectorResult Detect(DetectorInput input)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return Inner.Detect(input);
        }
        finally
        {
            Ticks += Stopwatch.GetTimestamp() - start;
        }
    }

    /// <summary>Wraps <paramref name="detector"/>, keeping its bitmap interface when it has one.</summary>
    public static TimedQueryDetector Wrap(IQueryDetector detector)
        => detector is IBitmapQueryDetector bitmap ? new TimedBitmapQueryDetector(bitmap) : new TimedQueryDetector(detector);
}

/// <summary>The timed wrapper of a bitmap detector (its scoring step is timed too).</summary>
internal sealed class TimedBitmapQueryDetector(IBitmapQueryDetector inner) : TimedQueryDetector(inner), IBitmapQueryDetector
{
    public int RegionBytes => inner.RegionBytes;

    public DetectorResult Score(DetectorInput input, DetectorResult observed, IReadOnlyList<long> setBits)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return inner.Score(input, observed, setBits);
        }
        finally
        {
            Ticks += Stopwatch.GetTimestamp() - start;
        }
    }
}
