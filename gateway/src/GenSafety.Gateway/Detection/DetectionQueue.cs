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
            return true;
        }

        _metrics.Shed(observation.RouteKind);
        return false;
    }
}
