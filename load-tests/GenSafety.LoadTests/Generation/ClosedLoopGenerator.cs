using System.Diagnostics;
using GenSafety.LoadTests.Scenarios;

namespace GenSafety.LoadTests.Generation;

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each send the next request as soon as the previous
/// response has been read to the end. Requests that complete inside the measured window are
/// recorded (latency from send to the last byte; first-token time for streams); RPS is successes
/// per measured second. Closed loop means no coordinated-omission correction: latency is what a
/// client holding <c>concurrency</c> connections saw, at the throughput the system gave it.
/// </summary>
internal sealed class ClosedLoopGenerator(HttpMessageInvoker client, TimeSpan requestTimeout)
{
    // After the window closes, in-flight requests get this long before they are cancelled.
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);

    // A worker whose request failed at the transport (refused, reset) waits this long before the
    // next one, so that a dead target is not hammered in a hot loop.
    private static readonly TimeSpan TransportFailurePause = TimeSpan.FromMilliseconds(5);

    public async Task<SliceResult> RunAsync(
        IScenario scenario,
        LoadTarget target,
        int concurrency,
        TimeSpan warmup,
        TimeSpan duration,
        IWindowProbe? probe,
        CancellationToken cancellationToken)
    {
        var window = new Window();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var perWorker = new SliceResult[concurrency];
        var tasks = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            var own = perWorker[i] = new SliceResult();
            tasks[i] = Task.Run(() => WorkerLoopAsync(own, scenario, target, window, abort.Token), CancellationToken.None);
        }

        try
        {
            await Task.Delay(warmup, cancellationToken);
            probe?.OnWindowOpened();
            window.Open();
            await Task.Delay(duration, cancellationToken);
            window.Close();
            probe?.OnWindowClosed();
        }
        finally
        {
            window.Stop();
            try
            {
                await Task.WhenAll(tasks).WaitAsync(DrainGrace, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                await abort.CancelAsync();
                await Task.WhenAll(tasks);
            }
        }

        var result = new SliceResult();
        result.AddMeasured(window.Length);
        foreach (var own in perWorker)
        {
            result.Add(own);
        }

        return result;
    }

    private async Task WorkerLoopAsync(SliceResult own, IScenario scenario, LoadTarget target, Window window, CancellationToken abort)
    {
        var buffer = new ReadBuffer();
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        try
        {
            while (!window.Stopped && !abort.IsCancellationRequested)
            {
                timeout.CancelAfter(requestTimeout);
                var start = Stopwatch.GetTimestamp();
                RequestOutcome outcome;
                try
                {
                    outcome = await RequestSender.SendAsync(client, scenario, target, buffer, timeout.Token, abort);
                }
                catch (OperationCanceledException) when (abort.IsCancellationRequested)
                {
                    return;
                }

                var end = Stopwatch.GetTimestamp();
                if (window.Contains(end))
                {
                    RequestSender.Record(own, outcome, start, end);
                }

                if (!timeout.TryReset())
                {
                    timeout.Dispose();
                    timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
                }

                if (outcome.IsTransportFailure)
                {
                    await Task.Delay(TransportFailurePause, CancellationToken.None);
                }
            }
        }
        finally
        {
            timeout.Dispose();
        }
    }

    /// <summary>The measured window in <see cref="Stopwatch"/> timestamps; workers read it without locks.</summary>
    private sealed class Window
    {
        private long _start = long.MaxValue;
        private long _end = long.MaxValue;
        private volatile bool _stopped;

        public bool Stopped => _stopped;

        public TimeSpan Length
        {
            get
            {
                var start = Volatile.Read(ref _start);
                var end = Volatile.Read(ref _end);
                return start == long.MaxValue || end == long.MaxValue ? TimeSpan.Zero : Stopwatch.GetElapsedTime(start, end);
            }
        }

        public void Open() => Volatile.Write(ref _start, Stopwatch.GetTimestamp());

        public void Close() => Volatile.Write(ref _end, Stopwatch.GetTimestamp());

        public void Stop() => _stopped = true;

        public bool Contains(long timestamp) => timestamp >= Volatile.Read(ref _start) && timestamp <= Volatile.Read(ref _end);
    }
}
