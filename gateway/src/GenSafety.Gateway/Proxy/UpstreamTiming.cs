using System.Diagnostics;

namespace GenSafety.Gateway.Proxy;

/// <summary>
/// Per-request account of the time spent waiting on the upstream (until its headers, and reading its body), so the
/// gateway can report its own overhead as total minus upstream time. Stored in <c>HttpContext.Features</c> and
/// handed to the outgoing <see cref="HttpRequestMessage"/> through its options.
/// </summary>
public sealed class UpstreamTiming
{
    /// <summary>Key under which the timing travels on the outgoing request.</summary>
    public static readonly HttpRequestOptionsKey<UpstreamTiming> RequestOptionKey = new("GenSafety.UpstreamTiming");

    private long _upstreamTicks;

    /// <summary>When the gateway started handling the request (<see cref="Stopwatch"/> timestamp).</summary>
    public long StartTimestamp { get; } = Stopwatch.GetTimestamp();

    /// <summary>Whether a request was sent upstream at all.</summary>
    public bool Forwarded { get; private set; }

    /// <summary>Total upstream wait so far.</summary>
    public TimeSpan Upstream => TimeSpan.FromTicks(Interlocked.Read(ref _upstreamTicks) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);

    /// <summary>For streamed responses: time from the start of the request to the first data event written to the client.</summary>
    public TimeSpan? TimeToFirstToken { get; set; }

    /// <summary>Time since the gateway started handling the request.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(StartTimestamp);

    /// <summary>Elapsed time minus upstream wait, never negative.</summary>
    public TimeSpan Overhead
    {
        get
        {
            var overhead = Elapsed - Upstream;
            return overhead < TimeSpan.Zero ? TimeSpan.Zero : overhead;
        }
    }

    /// <summary>Adds an upstream wait measured with <see cref="Stopwatch"/> timestamps.</summary>
    public void AddUpstream(long startTimestamp, long endTimestamp)
    {
        Forwarded = true;
        Interlocked.Add(ref _upstreamTicks, endTimestamp - startTimestamp);
    }

    /// <summary>Adds an upstream wait.</summary>
    public void AddUpstream(TimeSpan wait)
    {
        Forwarded = true;
        Interlocked.Add(ref _upstreamTicks, (long)(wait.TotalSeconds * Stopwatch.Frequency));
    }

    /// <summary>The timing of the current request, created on first use.</summary>
    public static UpstreamTiming Of(HttpContext context)
    {
        var timing = context.Features.Get<UpstreamTiming>();
        if (timing is null)
        {
            timing = new UpstreamTiming();
            context.Features.Set(timing);
        }

        return timing;
    }
}
