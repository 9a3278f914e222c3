using System.Collections.Concurrent;
using System.Diagnostics;
using GenSafety.LoadTests.Scenarios;

namespace GenSafety.LoadTests.Generation;

/// <summary>
/// Open-loop load: requests start on a fixed schedule (<c>rate</c> per second) whatever pace the answers come at,
/// with at most <c>maxInFlight</c> outstanding. Latency counts from each request's scheduled start, so a request that
/// waited for a free slot or behind a stall is charged that wait (no coordinated omission). Requests scheduled inside
/// the measured window are recorded. Below saturation this is what a client at that rate sees; a target that cannot
/// keep up shows it as growing latency rather than as fewer requests.
/// </summary>
internal sealed class OpenLoopGenerator(HttpMessageInvoker client, TimeSpan requestTimeout)
{
    // After the last scheduled request, in-flight requests get this long before they are cancelled.
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);

    // Waits shorter than this are not slept: the request starts at once (timer granularity is about a millisecond).
    private static readonly TimeSpan MinSleep = TimeSpan.FromMilliseconds(1);

    public async Task<SliceResult> RunAsync(
        IScenario scenario,
        LoadTarget target,
        double rate,
        int maxInFlight,
        TimeSpan warmup,
        TimeSpan duration,
        IWindowProbe? probe,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        var result = new SliceResult();
        using var slots = new SemaphoreSlim(maxInFlight);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var buffers = new ConcurrentBag<ReadBuffer>();
        var requests = new List<Task>();
        var begin = Stopwatch.GetTimestamp();
        var windowStart = begin + Ticks(warmup);
        var windowEnd = windowStart + Ticks(duration);
        var spacing = Stopwatch.Frequency / rate;
        var opened = false;
        try
        {
            for (long i = 0; ; i++)
            {
                var scheduled = begin + (long)(i * spacing);
                if (scheduled >= windowEnd)
                {
                    break;
                }

                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
                if (wait >= MinSleep)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                if (!opened && scheduled >= windowStart)
                {
                    probe?.OnWindowOpened();
                    opened = true;
                }

                await slots.WaitAsync(cancellationToken);
                requests.Add(SendOneAsync(scenario, target, scheduled, scheduled >= windowStart, result, slots, buffers, abort.Token));
            }

            probe?.OnWindowClosed();
        }
        finally
        {
            try
            {
                await Task.WhenAll(requests).WaitAsync(DrainGrace, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                await abort.CancelAsync();
                await Task.WhenAll(requests);
            }
        }

        result.AddMeasured(duration);
        return result;
    }

    private async Task SendOneAsync(
        IScenario scenario, LoadTarget target, long scheduled, bool measured, SliceResult result, SemaphoreSlim slots, ConcurrentBag<ReadBuffer> buffers,
        CancellationToken abort)
    {
        await Task.Yield();
        var buffer = buffers.TryTake(out var pooled) ? pooled : new ReadBuffer();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        timeout.CancelAfter(requestTimeout);
        try
        {
            var outcome = await RequestSender.SendAsync(client, scenario, target, buffer, timeout.Token, abort);
            var end = Stopwatch.GetTimestamp();
            if (measured)
            {
                lock (result)
                {
                    RequestSender.Record(result, outcome, scheduled, end);
                }
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // The run is over or cancelled; this request is not counted.
        }
        finally
        {
            buffers.Add(buffer);
            slots.Release();
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
