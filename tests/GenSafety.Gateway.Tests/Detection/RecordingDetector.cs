using System.Collections.Concurrent;
using System.Diagnostics;
using GenSafety.Gateway.Detection;

namespace GenSafety.Gateway.Tests.Detection;

/// <summary>A detector that records the batches it gets (size and when) and can be held shut to stall the pipeline.</summary>
public sealed class RecordingDetector : IQueryDetector
{
    public const string DetectorName = "recording";

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public string Name => DetectorName;

    public DetectorDescriptor Descriptor { get; } = new(true, DetectorStateMode.Replace, 64);

    /// <summary>Batches seen: events and milliseconds since the detector was created.</summary>
    public ConcurrentQueue<(int Events, long AtMs)> Batches { get; } = new();

    /// <summary>Every event seen.</summary>
    public ConcurrentQueue<QueryEvent> Events { get; } = new();

    /// <summary>While reset, <see cref="Detect"/> waits (the pipeline stalls).</summary>
    public ManualResetEventSlim Gate { get; } = new(true);

    public long NowMs => _clock.ElapsedMilliseconds;

    public bool NeedsPromptVector(QueryEvent queryEvent) => false;

    public DetectorResult Detect(DetectorInput input)
    {
        Gate.Wait(TimeSpan.FromSeconds(30));
        Batches.Enqueue((input.Events.Count, _clock.ElapsedMilliseconds));
        foreach (var queryEvent in input.Events)
        {
            Events.Enqueue(queryEvent);
        }

        return new DetectorResult(0, "recorded", [1]);
    }
}
