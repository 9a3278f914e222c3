using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace GenSafety.Gateway.Detection;

/// <summary>
/// The bounded queue between the request path and the detectors. <see cref="TryEnqueue"/> never waits: when the
/// queue holds <see cref="DetectionOptions.QueueCapacity"/> observations the new one is dropped and counted as shed,
/// so a slow detector can cost observations but never request latency.
/// </summary>
internal sealed class DetectionQueue
{
    private readonly Channel<QueryObservation> _channel;
    private readonly DetectionMetrics _metrics;

    // The reader's wait for a full batch (at most one: the queue has a single reader), else null.
    private HoldingWait? _holding;

    public DetectionQueue(IOptions<DetectionOptions> options, DetectionMetrics metrics)
    {
        _metrics = metrics;
        _channel = Channel.CreateBounded<QueryObservation>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            // Wait (not Drop*) so that TryWrite reports a full queue instead of silently discarding.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        metrics.TrackQueue(() => Depth);
    }

    /// <summary>What the pipeline reads.</summary>
    public ChannelReader<QueryObservation> Reader => _channel.Reader;

    /// <summary>Observations waiting.</summary>
    public int Depth => _channel.Reader.Count;

    /// <summary>Queues <paramref name="observation"/>, or sheds it when the queue is full; never blocks.</summary>
    public bool TryEnqueue(QueryObservation observation)
    {
        if (_channel.Writer.TryWrite(observation))
        {
            _metrics.Queued(observation.RouteKind);
            if (Volatile.Read(ref _holding) is { } holding && _channel.Reader.Count >= holding.Count)
            {
                holding.Reached.TrySetResult();
            }

            return true;
        }

        _metrics.Shed(observation.RouteKind);
        return false;
    }

    /// <summary>
    /// Waits until the queue holds at least <paramref name="count"/> observations or <paramref name="timeout"/> has
    /// passed (on <paramref name="time"/>), whichever comes first; the single reader's way to fill a micro-batch
    /// without waking up for every observation. Throws only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task WaitUntilHoldingAsync(int count, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var holding = new HoldingWait(count);
        Volatile.Write(ref _holding, holding);
        try
        {
            // Observations written before the wait was published are counted here.
            if (_channel.Reader.Count < count)
            {
                await holding.Reached.Task.WaitAsync(timeout, time, cancellationToken);
            }
        }
        catch (TimeoutException)
        {
            // MaxBatchWait has passed: the batch goes as it is.
        }
        finally
        {
            Volatile.Write(ref _holding, null);
        }
    }

    /// <summary>A wait for the queue to hold <see cref="Count"/> observations.</summary>
    private sealed class HoldingWait(int count)
    {
        public int Count { get; } = count;

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
