using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace GenSafety.Gateway.State;

/// <summary>
/// Instruments of the state store: <c>gensafety.state.duration</c> (s; operation, backend) and
/// <c>gensafety.state.errors</c> (operation). Tags are bounded: never a tenant or client id.
/// </summary>
internal sealed class StateMetrics
{
    /// <summary>Name of the meter, for <c>AddMeter</c> in telemetry set-up.</summary>
    public const string MeterName = "GenSafety.Gateway.State";

    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;

    public StateMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter meter = meterFactory.Create(MeterName);
        _errors = meter.CreateCounter<long>(
            "gensafety.state.errors", unit: "{error}", description: "State store operations that failed to reach the backing store.");
        _duration = meter.CreateHistogram<double>(
            "gensafety.state.duration",
            unit: "s",
            description: "Duration of state store operations.",
            tags: null,
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
            });
    }

    /// <summary>Records the time since <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void RecordDuration(string operation, string backend, long startTimestamp)
    {
        if (_duration.Enabled)
        {
            RecordDurationCore(operation, backend, startTimestamp);
        }
    }

    /// <summary>Counts one failed operation.</summary>
    public void RecordError(string operation)
    {
        if (_errors.Enabled)
        {
            _errors.Add(1, new KeyValuePair<string, object?>("operation", operation));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordDurationCore(string operation, string backend, long startTimestamp)
    {
        var tags = new TagList
        {
            { "operation", operation },
            { "backend", backend },
        };
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }
}
